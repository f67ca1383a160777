"""Agent that can call our internal REST API on behalf of the user."""

from langchain_community.agent_toolkits.openapi.toolkit import RequestsToolkit
from langchain_community.utilities.requests import TextRequestsWrapper
from langchain_community.tools.requests.tool import RequestsGetTool
from langgraph.prebuilt import create_react_agent
from langchain_anthropic import ChatAnthropic
from langchain_community.tools.tavily_search import TavilySearchResults

ALLOW_REQUESTS = False

model = ChatAnthropic(model="claude-sonnet-4-5", max_tokens=2048, timeout=60)
headers = {"Accept": "application/json"}

toolkit = RequestsToolkit(  # expect: AIW-PY006, AIW-PY019
    requests_wrapper=TextRequestsWrapper(headers=headers),
    allow_dangerous_requests=True,
)
readonly = RequestsGetTool(requests_wrapper=TextRequestsWrapper(), allow_dangerous_requests=ALLOW_REQUESTS)  # ok: AIW-PY006, AIW-PY019  (refuses to build without the flag)
search = TavilySearchResults(max_results=3)  # ok: AIW-PY006
agent = create_react_agent(model, [*toolkit.get_tools(), search])


def ask(question: str) -> str:
    state = agent.invoke({"messages": [("user", question)]}, {"recursion_limit": 12})
    return state["messages"][-1].content
