"""The ChatModel port through LangChain's ChatOpenAI: any OpenAI-compatible endpoint (vLLM, Ollama, DeepSeek, Qwen
deployments)."""

from __future__ import annotations

from typing import Any


class OpenAIChatModel:
    """``complete(system, user)`` over langchain-openai's ChatOpenAI with a base URL; imported on first use."""

    def __init__(self, base_url: str, model: str, api_key: str, max_tokens: int, timeout_s: float,
                 temperature: float = 0.2) -> None:
        self.base_url, self.model, self._key = base_url, model, api_key
        self.max_tokens, self.timeout_s, self.temperature = max_tokens, timeout_s, temperature
        self._llm: Any = None

    @property
    def name(self) -> str:
        return f"openai-compatible:{self.model}@{self.base_url}"

    def complete(self, system: str, user: str) -> str:
        if self._llm is None:
            from langchain_openai import ChatOpenAI

            self._llm = ChatOpenAI(base_url=self.base_url, model=self.model, api_key=self._key,  # type: ignore[arg-type,call-arg]
                                   max_tokens=self.max_tokens, timeout=self.timeout_s, temperature=self.temperature,
                                   max_retries=0)
        from langchain_core.messages import HumanMessage, SystemMessage

        msg = self._llm.invoke([SystemMessage(system), HumanMessage(user)])
        return str(msg.content).strip()
