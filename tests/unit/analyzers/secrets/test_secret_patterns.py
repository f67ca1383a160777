"""Every provider pattern finds its key, and near misses and placeholders are not findings."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import time
import uuid

import pytest
from secret_samples import ALNUM, AWS_BODY, HEX, URLSAFE, Sample, rand, samples

from aiwarden.analyzers.secrets.patterns import PATTERNS
from aiwarden.analyzers.secrets.scanner import SecretMatch, find_secrets

SAMPLES = samples()


def ids(found: list[SecretMatch]) -> list[str]:
    return [m.pattern_id for m in found]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.pattern_id)
def test_each_pattern_finds_its_fake_key(sample: Sample) -> None:
    found = find_secrets(f"# config\n{sample.text}\n")
    assert ids(found) == [sample.pattern_id]
    assert found[0].rule.id == sample.rule_id
    assert found[0].line == 2 + sample.text[: sample.text.index(sample.secret)].count("\n")
    assert found[0].length == len(sample.secret)


def test_every_pattern_in_the_table_has_a_sample() -> None:
    assert {p.id for p in PATTERNS} <= {s.pattern_id for s in SAMPLES}


def test_pattern_ids_are_unique_and_rules_are_sec() -> None:
    assert len({p.id for p in PATTERNS}) == len(PATTERNS)
    assert {p.rule.id for p in PATTERNS} == {"AIW-SEC001", "AIW-SEC002", "AIW-SEC003"}


def test_column_and_end_point_at_the_secret() -> None:
    sample = next(s for s in SAMPLES if s.pattern_id == "groq-api-key")
    text = f"x = 1\n    {sample.text}\n"
    (match,) = find_secrets(text)
    line = text.split("\n")[1]
    assert match.column == line.index(sample.secret) + 1
    assert match.end_line == 2
    assert match.end_column == match.column + len(sample.secret)


def test_a_key_after_an_escaped_newline_in_json_is_found() -> None:
    sample = next(s for s in SAMPLES if s.pattern_id == "huggingface-token")
    assert ids(find_secrets(f'{{"text": "login\\n{sample.secret}\\n"}}')) == ["huggingface-token"]


rng = random.Random(99)
NEAR_MISSES = {
    "hf token one letter short": "hf_" + rand(rng, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN", 33),
    "hf token with a dash": "hf_" + rand(rng, ALNUM, 17) + "-" + rand(rng, ALNUM, 17),
    "hf token inside a longer word": "xhf_"
    + rand(rng, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN", 34),
    "github token one short": "ghp_" + rand(rng, ALNUM, 35),
    "github token one long": "ghp_" + rand(rng, ALNUM, 37),
    "aws key id short": "AKIA" + rand(rng, AWS_BODY, 15),
    "aws key id with lower case": "AKIA" + rand(rng, "abcdefghijklmnop", 16),
    "anthropic with an unknown version": "sk-ant-apiXY-" + rand(rng, URLSAFE, 95),
    "anthropic too short": "sk-ant-api03-" + rand(rng, URLSAFE, 80) + "AA",
    "openai project key too short": "sk-proj-" + rand(rng, ALNUM, 20),
    "legacy-looking key one short": "sk-" + rand(rng, ALNUM, 47),
    "openrouter upper-case hex": "sk-or-v1-" + rand(rng, "0123456789ABCDEF", 64),
    "groq short": "gsk_" + rand(rng, ALNUM, 40),
    "a uuid": str(uuid.UUID(int=rng.getrandbits(128))),
    "a sha-256 digest": hashlib.sha256(b"model weights").hexdigest(),
    "a git commit sha": hashlib.sha1(b"commit").hexdigest(),
    "a sha-256 next to azure": "azure_blob_sha256 = " + hashlib.sha256(b"x").hexdigest(),
    "a uuid next to azure": f"AZURE_SUBSCRIPTION_ID = '{uuid.UUID(int=rng.getrandbits(128))}'",
    "a commit pinned next to mistral": (
        'AutoModel.from_pretrained("mistralai/Mistral-7B-v0.1", revision="'
        + hashlib.sha1(b"m").hexdigest()
        + '")'
    ),
    "a class name next to mistral": "from x import MistralForConditionalGeneration as Mistral3x",
    "a deepseek model revision": f'snapshot_download("deepseek-ai/x", revision="{HEX * 2}")',
    "an mlflow run id in azure ml": "azureml run: mlflow run_id=" + hashlib.md5(b"r").hexdigest(),
    "hex digest next to cohere": "cohere_checksum = " + hashlib.md5(b"c").hexdigest(),
}


@pytest.mark.parametrize("text", NEAR_MISSES.values(), ids=NEAR_MISSES.keys())
def test_near_misses_are_not_findings(text: str) -> None:
    assert find_secrets(f'value = "{text}"\n') == []


PLACEHOLDERS = [
    'OPENAI_API_KEY = "sk-..."',
    'HF_TOKEN = "hf_xxx"',
    "HF_TOKEN=hf_" + "x" * 34,
    'api_key = "your-api-key"',
    "OPENAI_API_KEY=<OPENAI_API_KEY>",
    "OPENAI_API_KEY=${OPENAI_API_KEY}",
    'api_key = os.environ["OPENAI_API_KEY"]',
    'password = "changeme"',
    "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",  # pragma: allowlist secret
    'ANTHROPIC_API_KEY = "sk-ant-api03-' + "A" * 93 + 'AA"',
    'GROQ_API_KEY = "gsk_' + "ab" * 26 + '"',
    'OPENAI_API_KEY = "sk-proj-' + "x" * 74 + "T3BlbkFJ" + "x" * 74 + '"',
    'api_key = "sk-proj-YOUR_KEY_HERE"',
    "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
    "-----BEGIN RSA PRIVATE KEY-----\n<your key here>\n-----END RSA PRIVATE KEY-----",
    "token: {{ secrets.HF_TOKEN }}",
]


@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_placeholders_and_examples_are_not_findings(text: str) -> None:
    assert find_secrets(text + "\n") == []


def test_azure_openai_key_in_legacy_and_client_forms() -> None:
    key = rand(random.Random(8), HEX, 32)
    legacy = f'openai.api_type = "azure"\nopenai.api_key = "{key}"\n'
    client = f'client = AzureOpenAI(\n    api_key="{key}",\n    api_version="2024-02-01",\n)\n'
    assert ids(find_secrets(legacy)) == ["azure-openai-key"]
    assert ids(find_secrets(client)) == ["azure-openai-key"]


def test_base64_image_data_in_notebook_like_json_is_not_a_secret() -> None:
    blob = base64.b64encode(random.Random(11).randbytes(200_000))
    text = json.dumps({"outputs": [{"data": {"image/png": blob.decode()}}]}, indent=1)
    assert find_secrets(text) == []


def test_pragma_allowlist_secret_suppresses_the_line_and_the_next() -> None:
    sample = SAMPLES[0]
    same_line = f"{sample.text}  # pragma: allowlist secret\n"
    next_line = f"# pragma: allowlist nextline secret\n{sample.text}\n"
    assert find_secrets(same_line) == []
    assert find_secrets(next_line) == []
    assert ids(find_secrets(f"# unrelated\n{sample.text}\n")) == [sample.pattern_id]


def test_overlapping_matches_keep_the_specific_pattern() -> None:
    sample = next(s for s in SAMPLES if s.pattern_id == "huggingface-token")
    found = find_secrets(f'HF_TOKEN = "{sample.secret}"\n')
    assert ids(found) == ["huggingface-token"]  # not also AIW-SEC004 for the same value


def test_service_account_json_is_one_finding_not_two() -> None:
    sample = next(s for s in SAMPLES if s.pattern_id == "gcp-service-account-key")
    assert ids(find_secrets(sample.text)) == ["gcp-service-account-key"]


def test_pem_without_a_service_account_marker_is_a_private_key() -> None:
    sample = next(s for s in SAMPLES if s.pattern_id == "gcp-service-account-key")
    assert ids(find_secrets(sample.text.replace("service_account", "user"))) == ["private-key"]


def test_keyword_proximity_needs_the_keyword_near_the_value() -> None:
    value = rand(random.Random(5), ALNUM, 40)
    far = "import cohere\n" + "# filler line\n" * 20 + f'checksum = "{value}"\n'
    assert find_secrets(far) == []
    assert ids(find_secrets(f'co = cohere.Client("{value}")\n')) == ["cohere-api-key"]


def test_matches_are_bounded_per_text() -> None:
    rng2 = random.Random(3)
    text = "\n".join(f"k{i} = 'ghp_{rand(rng2, ALNUM, 36)}'" for i in range(300))
    assert len(find_secrets(text)) == 100
    assert len(find_secrets(text, max_matches=7)) == 7


def test_many_plausible_values_stay_fast() -> None:
    rng2 = random.Random(4)
    text = "\n".join(f'svc{i}_api_key = "{rand(rng2, ALNUM, 24)}"' for i in range(25_000))
    start = time.perf_counter()
    assert len(find_secrets(text)) == 100
    assert time.perf_counter() - start < 20  # quadratic overlap checks would take minutes


def test_evidence_and_key_are_stable_and_line_independent() -> None:
    sample = SAMPLES[0]
    (first,) = find_secrets(sample.text)
    (moved,) = find_secrets("\n\n\n    " + sample.text)
    assert first.fingerprint_key == moved.fingerprint_key
    assert first.evidence == moved.evidence
    assert re.fullmatch(r"sk-p….{4} \(164 chars\)", first.evidence)


def test_hostile_inputs_finish() -> None:
    texts = [
        "api_key=" * 50_000,
        "sk-" + "a" * 200_000,
        "-----BEGIN PRIVATE KEY-----" + "A" * 300_000,
        "cohere " * 30_000 + "a" * 100_000,
        "\u0130" * 10_000 + "password = 'Xy7#pQ2!zR9@wL4$'",  # pragma: allowlist secret
    ]
    for text in texts:
        find_secrets(text)  # must not hang; pytest-timeout fails the test otherwise
    assert ids(find_secrets(texts[-1])) == ["generic-secret"]
