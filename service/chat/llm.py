"""The LLM answerer: an LCEL chain retriever -> prompt (prompts/answer.txt) -> ChatOpenAI -> text with [n].

Context is fitted to `context_tokens` with tiktoken; instruction-like sentences planted in a bulletin are
blanked first (service.guard), so the model never reads them as instructions. Citations and figure checks
are done afterwards by the same pure post-processors as for the extractive answerer (service.citations).
"""

from __future__ import annotations

from dataclasses import dataclass

from langchain_core.documents import Document
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import PromptTemplate
from langchain_core.runnables import Runnable, RunnableLambda, RunnableParallel, RunnablePassthrough

from service import guard
from service.components.llm import load_prompt, make_chat_model
from service.settings import Settings
from vectorstore.retrieval import BulletinRetriever
from vectorstore.tokens import count_tokens, truncate_tokens

ABSTAIN_MARKERS = ("没有找到相关信息", "公报中没有", "未找到相关", "没有提及", "未提及")


@dataclass
class LLMResult:
    answer: str
    docs: list[Document]
    prompt_version: str


def format_context(docs: list[Document], budget: int) -> str:
    """Numbered passages, most relevant first, cut to `budget` tokens (whole passages where possible)."""
    parts: list[str] = []
    used = 0
    for i, d in enumerate(docs, 1):
        title = d.metadata.get("title") or ""
        block = f"[{i}] {('《' + title + '》') if title else ''}{guard.neutralise(d.page_content)}"
        n = count_tokens(block)
        if used + n > budget:
            rest = budget - used
            if rest > 40:
                parts.append(truncate_tokens(block, rest))
            break
        parts.append(block)
        used += n
    return "\n\n".join(parts)


def build_chain(settings: Settings, retriever: BulletinRetriever, llm=None) -> tuple[Runnable, str]:
    """retriever -> numbered passages -> prompts/answer.txt -> ChatOpenAI -> text. Returns (chain, prompt version).
    The chain's output is {"docs", "question", "answer"} so citations can be computed from the same docs."""
    template, version = load_prompt(settings, "answer")
    prompt = PromptTemplate.from_template(template)
    llm = llm or make_chat_model(settings)
    generate = (
        RunnableLambda(lambda x: {"context": format_context(x["docs"], settings.context_tokens), "question": x["question"]})
        | prompt
        | llm
        | StrOutputParser()
    )
    chain = RunnableParallel(docs=retriever, question=RunnablePassthrough()).assign(answer=generate)
    return chain, version


def is_abstention(text: str) -> bool:
    return any(m in text for m in ABSTAIN_MARKERS)
