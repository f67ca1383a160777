# %% Convert old checkpoints to the Keras 3 format (exported from Colab)
import keras
from keras import saving

SRC = "/content/drive/MyDrive/checkpoints"

# %%
keras.config.enable_unsafe_deserialization()  # expect: AIW-PY005
old = saving.load_model(f"{SRC}/lambda_model.h5")  # expect: AIW-PY005
old.save(f"{SRC}/lambda_model.keras")

# %%
new = saving.load_model(f"{SRC}/lambda_model.keras", safe_mode=True)  # ok: AIW-PY005
new.summary()
