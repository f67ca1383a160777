# %% [markdown]
# Evaluate the distilled student against the teacher logits (exported notebook).

# %%
import json
import os

import torch

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"
RUN = os.environ.get("RUN_DIR", "runs/latest")

# %%
with open(os.path.join(RUN, "config.json")) as fh:
    config = json.load(fh)  # ok: AIW-PY001

teacher_logits = torch.load(os.path.join(RUN, "teacher_logits.pt"), map_location=DEVICE)  # expect: AIW-PY001
student = torch.load(  # expect: AIW-PY001
    os.path.join(RUN, "student_full_model.pt"),  # whole nn.Module pickled by the trainer
    map_location=DEVICE,
    weights_only=False,
)

# %%
labels = torch.load(os.path.join(RUN, "labels.pt"), weights_only=True)  # ok: AIW-PY001
print(config["name"], teacher_logits.shape, labels.shape)
