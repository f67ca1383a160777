# %% Quick demo of the fine-tuned captioner (exported from a Colab notebook)
import gradio as gr
from gradio import Blocks

# %%
def caption(image):
    return "a photo"


# %%
with Blocks() as app:
    image = gr.Image(type="pil")
    text = gr.Textbox()
    image.change(caption, image, text)

app.launch(debug=True, share=True, show_error=True)  # expect: AIW-PY013

# %% Compare with the hosted baseline
baseline = gr.load("models/Salesforce/blip-image-captioning-base")
baseline.launch(share=True, inbrowser=False)  # expect: AIW-PY013

# %% Serve both for the reading group
gr.TabbedInterface([app, baseline], ["ours", "baseline"]).launch(server_name="0.0.0.0", auth=None)  # expect: AIW-PY013
