"""Train a sentiment classifier on IMDB and a local CSV of support tickets."""

from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments
import timm

CHECKPOINT = "distilbert/distilbert-base-uncased"
PINNED = "12040accade4e8a0f71eabdb258fecc2e7e948be"

imdb = load_dataset("stanfordnlp/imdb")  # expect: AIW-PY004
tickets = load_dataset("csv", data_files={"train": "data/tickets.csv"})  # ok: AIW-PY004
logs = load_dataset("json", data_files="data/chat_logs.jsonl", split="train")  # ok: AIW-PY004
tok = AutoTokenizer.from_pretrained(CHECKPOINT)  # expect: AIW-PY004
model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, num_labels=2, revision=PINNED)  # ok: AIW-PY004
vision = timm.create_model("resnet50.a1_in1k", pretrained=True, num_classes=2)  # expect: AIW-PY004
scratch = timm.create_model("vit_small_patch16_224", pretrained=False)  # ok: AIW-PY004


def tokenize(batch):
    return tok(batch["text"], truncation=True, max_length=256)


trainer = Trainer(
    model=model,
    args=TrainingArguments(output_dir="out", num_train_epochs=1),
    train_dataset=imdb["train"].map(tokenize, batched=True),
)
trainer.train()
trainer.save_model("out/final")
reloaded = AutoModelForSequenceClassification.from_pretrained("./out/final")  # ok: AIW-PY004
