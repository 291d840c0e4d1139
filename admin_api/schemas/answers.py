"""What a venue tells guests who ask: facts by topic, and questions and answers."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from engine.answers.service import QuestionAnswer, Wording
from engine.answers.topics import FactTopic

Language = Literal["en", "hi", "es"]
Text = Annotated[str, Field(min_length=1, max_length=1000)]
QuestionText = Annotated[str, Field(min_length=1, max_length=300)]


class Fact(BaseModel):
    """The owner's answer on one topic, with translations (the bot never translates)."""

    text: Text
    translations: dict[Language, Text] = Field(default_factory=dict)


class Translation(BaseModel):
    """One question and answer in another language; either part may be left out."""

    question: QuestionText | None = None
    answer: Text | None = None


class Question(BaseModel):
    """A question guests ask, the owner's answer, other ways of asking it, translations."""

    question: QuestionText
    answer: Text
    phrasings: list[QuestionText] = Field(default_factory=list, max_length=20)
    translations: dict[Language, Translation] = Field(default_factory=dict)

    def entry(self) -> QuestionAnswer:
        """As the engine stores it."""
        translations: dict[str, dict[str, str]] = {
            str(lang): t.model_dump(exclude_none=True) for lang, t in self.translations.items()
        }
        return QuestionAnswer(self.question, self.answer, list(self.phrasings), translations)


class Answers(BaseModel):
    """Everything the bot may answer from. Address, opening hours, check-in and check-out
    times and the cancellation policy are answered from the venue's own settings where it
    has them; a fact given here on those topics is used only where it has none."""

    facts: dict[FactTopic, Fact] = Field(default_factory=dict)
    questions: list[Question] = Field(default_factory=list, max_length=100)

    def wordings(self) -> dict[FactTopic, Wording]:
        """The facts as the engine stores them."""
        return {
            topic: Wording(fact.text, {str(lang): text for lang, text in fact.translations.items()})
            for topic, fact in self.facts.items()
        }
