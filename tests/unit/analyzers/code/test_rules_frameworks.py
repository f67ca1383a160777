"""AIW-PY005 Keras loading, AIW-PY006 allow_dangerous_*, AIW-PY007 code tools, AIW-PY012 Jinja."""

from __future__ import annotations

import pytest

from aiw_test_support import code_ids, code_issues
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.severity import Confidence, Severity

MINE = frozenset({"AIW-PY005", "AIW-PY006", "AIW-PY007", "AIW-PY012"})


def issues(source: str) -> list[CodeIssue]:
    return code_issues(source, MINE)


def ids(source: str) -> list[str]:
    return code_ids(source, MINE)


# -- AIW-PY005 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "import keras\nkeras.models.load_model(path, safe_mode=False)\n",
        "import keras\nkeras.saving.load_model(path, safe_mode=False)\n",
        "from keras.models import load_model\nload_model(path, None, True, False)\n",
        "import tensorflow as tf\ntf.keras.models.load_model(path, safe_mode=False)\n",
        "from tensorflow.keras.models import load_model\nload_model(p, safe_mode=False)\n",
        "import tf_keras\ntf_keras.models.load_model(p, safe_mode=False)\n",
        "import keras\nkeras.config.enable_unsafe_deserialization()\n",
        "from keras.config import enable_unsafe_deserialization\nenable_unsafe_deserialization()\n",
        "import keras\nkeras.saving.deserialize_keras_object(cfg, safe_mode=False)\n",
        "import keras\nSAFE = False\nkeras.models.load_model(path, safe_mode=SAFE)\n",
    ],
)
def test_keras_unsafe_loading_is_high(source: str) -> None:
    found = issues(source)
    assert [i.rule.id for i in found] == ["AIW-PY005"]
    assert found[0].severity is None  # the rule's HIGH


@pytest.mark.parametrize(
    "source",
    [
        "import keras\nkeras.models.load_model('model.h5')\n",
        "from tensorflow import keras\nkeras.models.load_model('weights/model.HDF5')\n",
        "import tensorflow as tf\nPATH = 'clf.h5'\nmodel = tf.keras.models.load_model(PATH)\n",
    ],
)
def test_legacy_h5_loads_are_medium(source: str) -> None:
    found = issues(source)
    assert [(i.rule.id, i.severity) for i in found] == [("AIW-PY005", Severity.MEDIUM)]


@pytest.mark.parametrize(
    "source",
    [
        "import keras\nkeras.models.load_model('model.keras')\n",
        "import keras\nkeras.models.load_model(path)\n",
        "import keras\nkeras.models.load_model(path, safe_mode=True)\n",
        "import keras\nmodel.load_weights('weights.h5')\n",
        "import joblib\nload_model(path, safe_mode=False)\n",  # not Keras
    ],
)
def test_safe_keras_loading_is_not_reported(source: str) -> None:
    assert ids(source) == []


def test_safe_mode_from_a_parameter_is_medium_confidence() -> None:
    found = issues(
        "import keras\ndef f(p, s):\n    return keras.models.load_model(p, safe_mode=s)\n"
    )
    assert [(i.rule.id, i.confidence) for i in found] == [("AIW-PY005", Confidence.MEDIUM)]


# -- AIW-PY006 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "from langchain_community.vectorstores import FAISS\n"
        "db = FAISS.load_local('idx', emb, allow_dangerous_deserialization=True)\n",
        "from langchain.vectorstores import FAISS\nFAISS.load_local(p, e, "
        "allow_dangerous_deserialization=1)\n",
        "from langchain_community.agent_toolkits.openapi.toolkit import RequestsToolkit\n"
        "RequestsToolkit(requests_wrapper=w, allow_dangerous_requests=True)\n",
        "from langchain_experimental.sql import SQLDatabaseChain\n"
        "SQLDatabaseChain.from_llm(llm, db, allow_dangerous_code=True)\n",
        "opts = {'allow_dangerous_deserialization': True}\n",
        "store = anything.load(p, **{'allow_dangerous_deserialization': True})\n",
        "FLAG = True\nvs.load_local(p, e, allow_dangerous_deserialization=FLAG)\n",
        "tool = Something(allow_dangerous_tools=True)\n",
    ],
)
def test_dangerous_opt_ins_are_reported(source: str) -> None:
    assert ids(source) == ["AIW-PY006"]


@pytest.mark.parametrize(
    "source",
    [
        "from langchain_community.vectorstores import FAISS\nFAISS.load_local(p, e)\n",
        "FAISS.load_local(p, e, allow_dangerous_deserialization=False)\n",
        "opts = {'allow_dangerous_deserialization': False}\n",
        "allow_dangerous_code = True\n",
    ],
)
def test_dangerous_opt_ins_off_are_not_reported(source: str) -> None:
    assert ids(source) == []


def test_a_dangerous_flag_from_a_variable_is_medium_confidence() -> None:
    found = issues(
        "def f(p, e, trusted):\n"
        "    return FAISS.load_local(p, e, allow_dangerous_deserialization=trusted)\n"
    )
    assert [(i.rule.id, i.confidence) for i in found] == [("AIW-PY006", Confidence.MEDIUM)]


# -- AIW-PY007 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "from langchain_experimental.tools import PythonREPLTool\ntools = [PythonREPLTool()]\n",
        "from langchain.tools.python.tool import PythonREPLTool\nPythonREPLTool()\n",
        "from langchain_experimental.tools.python.tool import PythonAstREPLTool\n"
        "PythonAstREPLTool(locals={'df': df})\n",
        "from langchain_experimental.utilities import PythonREPL\nrepl = PythonREPL()\n",
        "from langchain_community.tools import ShellTool\nshell = ShellTool()\n",
        "from langchain_experimental.llm_bash.bash import BashProcess\nBashProcess()\n",
        "from langchain.chains import LLMMathChain\nLLMMathChain.from_llm(llm)\n",
        "from langchain_experimental.pal_chain import PALChain\nPALChain.from_math_prompt(llm)\n",
        "from langchain_experimental.agents import create_pandas_dataframe_agent as mk\n"
        "agent = mk(llm, df)\n",
        "from langchain_experimental.agents.agent_toolkits import create_csv_agent\n"
        "create_csv_agent(llm, 'data.csv')\n",
        "from langchain.agents.agent_toolkits import create_python_agent\n"
        "create_python_agent(llm=llm, tool=tool)\n",
        "from langchain.agents import load_tools\n"
        "tools = load_tools(['serpapi', 'python_repl'], llm=llm)\n",
        "from langchain_community.agent_toolkits.load_tools import load_tools\n"
        "NAMES = ['terminal']\nload_tools(NAMES)\n",
        "from langchain.agents import load_tools\nload_tools(tool_names=['llm-math'], llm=llm)\n",
        "from llama_index.tools.code_interpreter import CodeInterpreterToolSpec\n"
        "spec = CodeInterpreterToolSpec()\n",
        "from llama_index.experimental.query_engine import PandasQueryEngine\n"
        "PandasQueryEngine(df=df, verbose=True)\n",
        "from llama_index.core.query_engine import PandasQueryEngine\nPandasQueryEngine(df)\n",
        "from autogen.coding import LocalCommandLineCodeExecutor\n"
        "LocalCommandLineCodeExecutor(work_dir='coding')\n",
        "from autogen_ext.code_executors.local import LocalCommandLineCodeExecutor as L\nL()\n",
        "from autogen import UserProxyAgent\nUserProxyAgent('user', "
        "code_execution_config={'work_dir': 'coding', 'use_docker': False})\n",
        "from crewai import Agent\nAgent(role='r', goal='g', backstory='b', "
        "allow_code_execution=True, code_execution_mode='unsafe')\n",
        "from crewai_tools import CodeInterpreterTool\nCodeInterpreterTool(unsafe_mode=True)\n",
        "from smolagents import CodeAgent\nCodeAgent(tools=[], model=m, "
        "additional_authorized_imports=['*'])\n",
        """
        from langchain.agents import initialize_agent
        from langchain_experimental.tools import PythonREPLTool

        class Assistant:
            def __init__(self, llm):
                self.agent = initialize_agent([PythonREPLTool()], llm)
        """,
    ],
)
def test_code_execution_tools_are_reported(source: str) -> None:
    assert ids(source) == ["AIW-PY007"]


def test_pandas_agent_with_its_opt_in_reports_both_problems() -> None:
    found = ids(
        "from langchain_experimental.agents import create_pandas_dataframe_agent\n"
        "create_pandas_dataframe_agent(llm, df, allow_dangerous_code=True)\n"
    )
    assert sorted(found) == ["AIW-PY006", "AIW-PY007"]


def test_smolagents_default_local_executor_is_medium() -> None:
    found = issues("from smolagents import CodeAgent\nagent = CodeAgent(tools=[], model=m)\n")
    assert [(i.rule.id, i.severity) for i in found] == [("AIW-PY007", Severity.MEDIUM)]


def test_an_unimported_distinctive_tool_name_is_medium_confidence() -> None:
    found = issues("tools = [PythonREPLTool()]\n")
    assert [(i.rule.id, i.confidence) for i in found] == [("AIW-PY007", Confidence.MEDIUM)]


@pytest.mark.parametrize(
    "source",
    [
        "from langchain.agents import load_tools\nload_tools(['serpapi', 'wikipedia'])\n",
        "from autogen import UserProxyAgent\nUserProxyAgent('u', code_execution_config="
        "{'work_dir': 'c', 'use_docker': True})\n",
        "from autogen import UserProxyAgent\nUserProxyAgent('u', code_execution_config=False)\n",
        "from autogen.coding import DockerCommandLineCodeExecutor\n"
        "DockerCommandLineCodeExecutor(image='python:3.11')\n",
        "from crewai import Agent\nAgent(role='r', allow_code_execution=True)\n",
        "from crewai import Agent\nAgent(role='r', allow_code_execution=True, "
        "code_execution_mode='safe')\n",
        "from smolagents import CodeAgent\nCodeAgent(tools=[], model=m, executor_type='e2b')\n",
        "from smolagents import ToolCallingAgent\nToolCallingAgent(tools=[], model=m)\n",
        "class PythonREPLTool:\n    pass\nPythonREPLTool()\n",
        "from mytools import PythonREPLTool\nPythonREPLTool()\n",
    ],
)
def test_sandboxed_or_unrelated_agents_are_not_reported(source: str) -> None:
    assert ids(source) == []


# -- AIW-PY012 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "import jinja2\njinja2.Environment().from_string(tokenizer.chat_template)\n",
        "from jinja2 import Template\nTemplate(tokenizer.chat_template).render(messages=m)\n",
        "from jinja2 import Environment\nenv = Environment(trim_blocks=True)\n"
        "tmpl = env.from_string(tok.chat_template)\n",
        "import jinja2\nsrc = reader.fields['tokenizer.chat_template']\njinja2.Template(src)\n",
        "import jinja2\nsrc = metadata.get('tokenizer.chat_template')\n"
        "out = jinja2.Template(source=src).render(messages=msgs)\n",
        "from jinja2 import Environment, BaseLoader\n"
        "def render(chat_template, messages):\n"
        "    return Environment(loader=BaseLoader()).from_string(chat_template).render(messages)\n",
        """
        import jinja2

        class Formatter:
            def __init__(self, tokenizer):
                self.template = tokenizer.chat_template
                self.env = jinja2.Environment(loader=jinja2.BaseLoader())

            def format(self, messages):
                return self.env.from_string(self.template).render(messages=messages)
        """,
    ],
)
def test_unsandboxed_chat_template_rendering_is_reported(source: str) -> None:
    assert ids(source) == ["AIW-PY012"]


def test_the_llama_cpp_formatter_pattern_is_reported_with_medium_confidence() -> None:
    found = issues(
        """
        import jinja2

        class Jinja2ChatFormatter:
            def __init__(self, template, eos_token, bos_token):
                self.template = template
                self._environment = jinja2.Environment(
                    loader=jinja2.BaseLoader(), trim_blocks=True, lstrip_blocks=True
                ).from_string(self.template)
        """
    )
    assert [(i.rule.id, i.confidence) for i in found] == [("AIW-PY012", Confidence.MEDIUM)]


@pytest.mark.parametrize(
    "source",
    [
        "from jinja2.sandbox import SandboxedEnvironment\n"
        "SandboxedEnvironment().from_string(tokenizer.chat_template)\n",
        "from jinja2.sandbox import ImmutableSandboxedEnvironment as E\n"
        "env = E(trim_blocks=True)\nenv.from_string(tokenizer.chat_template)\n",
        "import jinja2\njinja2.Template('Hello {{ name }}').render(name=n)\n",
        "import jinja2\nenv = jinja2.Environment(loader=jinja2.FileSystemLoader('t'))\n"
        "env.get_template('page.html')\n",
        "import jinja2\nenv = jinja2.Environment()\nenv.from_string(page_source)\n",
        "tokenizer.apply_chat_template(messages, tokenize=False)\n",
        "from jinja2.sandbox import ImmutableSandboxedEnvironment\n"
        "class R:\n    def __init__(self, tok):\n"
        "        self.env = ImmutableSandboxedEnvironment()\n"
        "        self.t = self.env.from_string(tok.chat_template)\n",
    ],
)
def test_sandboxed_or_unrelated_templates_are_not_reported(source: str) -> None:
    assert ids(source) == []
