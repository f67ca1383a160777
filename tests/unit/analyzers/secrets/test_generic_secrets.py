"""AIW-SEC004: high-entropy values assigned to secret-named keys, in every config syntax."""

from __future__ import annotations

import random

import pytest
from secret_samples import ALNUM, HEX, rand

from aiwarden.analyzers.secrets.generic import plausible_secret, secret_name
from aiwarden.analyzers.secrets.scanner import find_secrets

rng = random.Random(42)
V = rand(rng, ALNUM, 24)  # a random-looking value with no provider shape
H = rand(rng, HEX, 40)

POSITIVES = {
    "python assignment": f'WANDB_API_KEY = "{V}"',
    "python annotated": f'api_key: str = "{V}"',
    "python keyword argument": f'client = Client(auth_token="{V}")',
    "python dict": f'config = {{"client_secret": "{V}"}}',
    "os.environ assignment": f'os.environ["PINECONE_API_KEY"] = "{V}"',
    "getenv default": f'key = os.getenv("PINECONE_API_KEY", "{V}")',
    "camelCase": f'const authToken = "{V}";',
    "yaml": f"  password: {V}",
    "yaml quoted": f"  db_password: '{V}'",
    "toml": f'secret = "{V}"',
    "json": f'"apiKey": "{V}",',
    "dotenv": f"WANDB_API_KEY={H}",
    "dotenv export": f"export COMET_API_KEY={V}",
    "ini": f"passwd = {V}",
    "properties": f"db.password={V}",
    "dockerfile ENV": f"ENV LANGFUSE_SECRET_KEY {V}",
    "dockerfile ENV equals": f"ENV LANGFUSE_SECRET_KEY={V}",
    "dockerfile ARG": f"ARG NPM_TOKEN={V}",
    "cli flag": f"python train.py --wandb-api-key {V}",
    "cli flag equals": f"serve --access-token={V}",
    "kubernetes env pair": f"env:\n  - name: WANDB_API_KEY\n    value: {V}",
    "ecs environment pair": f'"environment": [{{"name": "DB_PASSWORD", "value": "{V}"}}]',
}


@pytest.mark.parametrize("text", POSITIVES.values(), ids=POSITIVES.keys())
def test_generic_secret_in_every_syntax(text: str) -> None:
    found = find_secrets(text + "\n")
    assert [m.pattern_id for m in found] == ["generic-secret"]
    assert found[0].rule.id == "AIW-SEC004"
    assert found[0].confidence.value == "medium"
    assert found[0].rule.severity.value == "medium"


NEGATIVES = {
    "tokenizer special token": 'pad_token = "<|begin_of_text|>"',
    "eos token long": 'eos_token = "<|end_of_sentence_marker|>"',
    "max tokens": "max_tokens = 4096",
    "environment lookup": 'password = os.environ["DB_PASSWORD"]',
    "function call": "token = tokenizer.encode(text_to_encode)",
    "attribute": "api_key = settings.OPENAI_API_KEY_PRIMARY",
    "env var name": "api_key = OPENAI_API_KEY_FALLBACK",
    "secret reference": 'secret_name = "projects/x/secrets/api-key/versions/3"',
    "not a secret name": f'model_revision = "{H}"',
    "monkey is not a key": f'monkey = "{V}"',
    "secret id": f'secret_id = "{V}"',
    "word-like value": 'password = "correct_horse_battery_staple"',
    "placeholder": 'API_KEY = "YOUR_API_KEY_HERE_PLEASE"',
    "template": "api_key: {{ .Values.apiKey }}",
    "shell reference": 'export HF_TOKEN="$HF_TOKEN_FROM_VAULT"',
    "url": 'token_url = "https://oauth2.googleapis.com/token"',
    "path": "credentials: /var/run/secrets/tokens/serviceaccount",
    "short": 'password = "hunter2"',
    "prose": "The secret key is stored in the vault, never in code.",
    "whitespace separator without ENV": f"token {V}",
    "comma without quotes": f"for key, token in pairs: print({V})",
    "sha256 checksum": 'sha256 = "' + "ab" * 32 + '"',
    "date": 'token_expiry = "2024-01-01T00:00:00Z"',
    "set of names": "NAMES = {'ASPasswordCredential', 'ASAuthorizationProviderExtension'}",
    "public key token": 'publicKeyToken="1fc8b3b9a1e18e3b"',
    "a timing": "time per token = 0.12345678901234 ms",
    "c++ scope": "case token::closing_expression: return;",
    "c call argument": 'if (strcmp(token, "FORMAT=32-bit_rle_rgbe") == 0) {',
    "keyword argument passing a name": "entity_mask2_token=entity_mask2_token,",
    "minified js": "this.opStencilDepthPass=e?this.stencilOpDepthPass:this.opDepthPass",
    "js expression": 'access_token:+(i||this.TOKEN||"")',
    "camelCase reference": "credentials = initialCredentials;",
    "kubernetes pair with a non-secret name": f"  - name: MODEL_REVISION\n    value: {V}",
    "kubernetes secret reference": "  - name: API_KEY\n    valueFrom:\n      secretKeyRef: {}",
    "plain value assignment": f'value = "{V}"',
    "idempotency token uuid": '"ClientRequestToken": "a8ca07e4-61ec-4399-99f4-19853EXAMPLE"',
    "change token uuid": '"ChangeToken": "abcd12f2-46da-4fdb-b8d5-fbd4c466928f"',
    "type annotation": "    private_key: PKCS7PrivateKeyTypes,",
    "password hint": '"LocalConsolePassword": "PassWordMustBeAtLeast6Chars."',
}


@pytest.mark.parametrize("text", NEGATIVES.values(), ids=NEGATIVES.keys())
def test_generic_negatives(text: str) -> None:
    assert find_secrets(text + "\n") == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("OPENAI_API_KEY", True),
        ("apiKey", True),
        ("authToken", True),
        ("client_secret", True),
        ("DB_PASSWORD", True),
        ("dbpassword", True),
        ("access_key", True),
        ("HF_TOKEN", True),
        ("refresh_token", True),
        ("pad_token", False),
        ("max_tokens", False),
        ("key", False),
        ("cache_key", False),
        ("secret_name", False),
        ("token_id", False),
        ("monkey", False),
        ("bypass", False),
    ],
)
def test_secret_name(name: str, expected: bool) -> None:
    assert secret_name(name) is expected


def test_entropy_floor_separates_random_values_from_phrases() -> None:
    assert plausible_secret(V)
    assert plausible_secret(H)
    assert not plausible_secret("aaaaBBBB1111cccc")
    assert not plausible_secret("abcdefghijklmnopqrstuvwxyz")
    assert not plausible_secret("my-super-secret-password-123")  # entropy and word shape
