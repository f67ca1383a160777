"""Rule metadata for chat-template findings, declared once for each analyzer that reports them.

Rule ids are unique across analyzers, so the chat-template analyzer (``AIW-MOD6xx``) and
the GGUF analyzer (``AIW-MOD51x``, templates embedded in GGUF metadata) each get their
own copy of the same rules from :func:`template_rules`.
"""

from __future__ import annotations

from typing import NamedTuple

from aiwarden.analyzers.models._template_issue import IssueKind
from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity

GUIDELINES = ("SD-3.d", "DV-1.b", "DP-2.a")
OWASP = ("LLM03:2025", "LLM05:2025")
ATLAS = ("AML.T0010.003", "AML.T0011.000")
CVE_2024_34359 = (
    "https://github.com/abetlen/llama-cpp-python/security/advisories/GHSA-56xg-wfcc-g829"
)
JINJA_SANDBOX = "https://jinja.palletsprojects.com/en/stable/sandbox/"
HF_TEMPLATES = "https://huggingface.co/docs/transformers/main/en/chat_templating"

_SANDBOX_ADVICE = (
    "Render chat templates only in an `ImmutableSandboxedEnvironment` (as transformers "
    "does; llama-cpp-python >= 0.2.72 after CVE-2024-34359), keep the loader updated, and "
    "replace the template with the publisher's original."
)


class TemplateRules(NamedTuple):
    """One rule per :class:`IssueKind`."""

    ssti: Rule
    dynamic: Rule
    unparseable: Rule
    loader: Rule
    resource: Rule

    def for_kind(self, kind: IssueKind) -> Rule:
        """The rule that reports issues of ``kind``."""
        return {
            IssueKind.SSTI: self.ssti,
            IssueKind.DYNAMIC_ATTRIBUTE: self.dynamic,
            IssueKind.UNPARSEABLE: self.unparseable,
            IssueKind.LOADER: self.loader,
            IssueKind.RESOURCE: self.resource,
        }[kind]

    @property
    def all(self) -> tuple[Rule, ...]:
        """Every rule, in id order."""
        return (self.ssti, self.dynamic, self.unparseable, self.loader, self.resource)


def _rule(
    number: int, title: str, severity: Severity, summary: str, help_text: str, **kw: object
) -> Rule:
    return Rule(
        id=RuleId(f"AIW-MOD{number:03d}"),
        title=title,
        severity=severity,
        summary=summary,
        help=help_text,
        remediation=str(kw.get("remediation", _SANDBOX_ADVICE)),
        guidelines=GUIDELINES,
        cwe=tuple(kw.get("cwe", (1336, 94))),  # type: ignore[arg-type]
        owasp_llm=OWASP,
        atlas=ATLAS,
        references=(CVE_2024_34359, JINJA_SANDBOX, HF_TEMPLATES),
        tags=("model", "chat-template", "jinja", *tuple(kw.get("tags", ()))),  # type: ignore[arg-type]
    )


def template_rules(first: int, where: str) -> TemplateRules:
    """The five template rules, numbered from ``first``, for templates found in ``where``."""
    return TemplateRules(
        ssti=_rule(
            first,
            f"Chat template in {where} reaches Python internals (template injection)",
            Severity.CRITICAL,
            "The Jinja chat template walks to Python internals such as `__globals__`.",
            "Chat templates are Jinja programs that run when a prompt is formatted. A "
            "template that reads `__class__`, `__globals__`, `__subclasses__`, "
            "`__builtins__` or inspects `cycler`, `joiner`, `lipsum` or `namespace` is a "
            "server-side template injection payload: rendered outside a sandbox (as "
            "llama-cpp-python did before CVE-2024-34359) it runs commands, e.g. "
            "`{{ cycler.__init__.__globals__.os.popen('id').read() }}`. aiwarden parses "
            "the template into an AST and resolves names built with `~`, `+`, `join`, "
            "`format`, `replace`, slicing, `{% set %}`, macros and escapes; it never renders it.",
            tags=("code-execution",),
        ),
        dynamic=_rule(
            first + 1,
            f"Chat template in {where} looks up attributes by computed names",
            Severity.HIGH,
            "The template looks up an attribute whose name cannot be resolved to a constant.",
            "Benign chat templates read message fields by constant names. This template "
            "looks up attributes through `attr()`, a subscript, an `attribute=` filter "
            "argument or a `str.format` field whose name is computed at render time in a "
            "way aiwarden could not resolve, or inspects a Jinja/Flask global object. Both "
            "are used to hide `__globals__`-style gadget chains from pattern scanners.",
        ),
        unparseable=_rule(
            first + 2,
            f"Chat template in {where} could not be analysed",
            Severity.HIGH,
            "The template is not valid Jinja, is oversized, or is too deeply nested to analyse.",
            "aiwarden could not parse or fully analyse this chat template (a syntax error, "
            "invalid text, a size or nesting limit). A template that cannot be checked is "
            "reported rather than passed: loaders with other Jinja dialects may still render it.",
            cwe=(1336, 20),
            tags=("fail-closed",),
        ),
        loader=_rule(
            first + 3,
            f"Chat template in {where} loads other templates",
            Severity.HIGH,
            "The template uses `include`, `import`, `from` or `extends`.",
            "Chat templates are self-contained. `{% include %}`, `{% import %}` and "
            "`{% extends %}` make the renderer read other files through its loader, which "
            "can disclose local files or pull in templates that were never reviewed.",
        ),
        resource=_rule(
            first + 4,
            f"Chat template in {where} can exhaust memory or CPU",
            Severity.MEDIUM,
            "The template multiplies strings, pads or loops by huge constant amounts.",
            "Expressions such as `'A' * 10**9`, `9**9**9`, `range(10**9)` or "
            "`'%999999999s'|format(x)` make every prompt formatting exhaust memory or CPU "
            "(denial of service), and the Jinja sandbox does not bound all of them.",
            cwe=(400,),
            remediation="Replace the template with the publisher's original and review changes.",
        ),
    )
