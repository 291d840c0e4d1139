// What the bot tells guests who ask, in settings: the venue's facts by topic and the owner's
// questions and answers, each with Hindi and Spanish translations (the bot never translates:
// an answer with none goes out as written). Owners edit and save the whole list; staff read.

import { api } from "../api.js";
import { errorBox, field, h, loaded, loading, replace } from "../dom.js";
import { isOwner } from "../state.js";
import { toast } from "../toast.js";

// [topic, label]; the first four are answered from the venue's own settings where it has them.
const TOPICS = [
  ["address", "Address"], ["hours", "Opening hours"], ["check_in_out", "Check-in and out"],
  ["cancellation", "Cancellation policy"], ["parking", "Parking"], ["breakfast", "Breakfast"],
  ["pets", "Pets"], ["dietary", "Dietary needs"], ["payment", "How to pay"],
];
const LANGUAGES = [["hi", "Hindi"], ["es", "Spanish"]];
let rows = 0;

export function answersSection(venue) {
  const section = h("section", { class: "card", "aria-labelledby": "answers-title" });
  loading(section, "Loading the answers…");
  api(`/venues/${venue.id}/answers`)
    .then((answers) => show(section, venue, answers), (error) => loaded(section, errorBox(error)));
  return section;
}

function text(id, label, value, multiline = false) {
  const attrs = { id, disabled: !isOwner() }; // a textarea's text is its content, not an attribute
  return field(label, multiline ? h("textarea", { ...attrs, rows: 2 }, value || "")
    : h("input", { ...attrs, value: value || "" }));
}

function factFields(topic, label, fact) {
  return h("fieldset", { class: "fact", "data-topic": topic }, h("legend", {}, label),
    h("div", { class: "grid-fields" }, text(`fact-${topic}`, "Answer", fact?.text, true),
      LANGUAGES.map(([lang, name]) => text(`fact-${topic}-${lang}`, name,
        fact?.translations?.[lang], true))));
}

function questionFields(entry = {}) {
  rows += 1;
  const id = `qa-${rows}`;
  const translated = (lang, part) => entry.translations?.[lang]?.[part];
  const row = h("fieldset", { class: "qa", "data-id": id }, h("legend", {}, "Question"),
    h("div", { class: "grid-fields" },
      text(`${id}-question`, "Question", entry.question),
      text(`${id}-answer`, "Answer", entry.answer, true),
      text(`${id}-phrasings`, "Other ways guests ask it (one a line)",
        (entry.phrasings || []).join("\n"), true),
      LANGUAGES.map(([lang, name]) => [
        text(`${id}-question-${lang}`, `Question (${name})`, translated(lang, "question")),
        text(`${id}-answer-${lang}`, `Answer (${name})`, translated(lang, "answer"), true)])),
    isOwner() ? h("button", { type: "button", class: "ghost", onclick: () => row.remove() },
      "Remove this question") : null);
  return row;
}

function show(section, venue, answers) {
  const status = h("div", { role: "status" });
  const questions = h("div", {}, answers.questions.map((entry) => questionFields(entry)));
  const form = h("form", {},
    h("p", { class: "muted" }, "The bot answers guests from these, in their language where you"
      + " give a translation. Address, opening hours, check-in and out and the cancellation"
      + " policy come from the settings above where set. A question nothing here answers"
      + " goes to the inbox for a person."),
    TOPICS.map(([topic, label]) => factFields(topic, label, answers.facts[topic])),
    h("h3", {}, "Questions and answers"), questions,
    isOwner() ? h("button", { type: "button", onclick: () => questions.append(questionFields()) },
      "Add a question") : null,
    status,
    isOwner() ? h("button", { type: "submit", class: "primary" }, "Save answers") : null);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    form.setAttribute("aria-busy", "true");
    try {
      await api(`/venues/${venue.id}/answers`, { method: "PUT", body: collect(form) });
      replace(status);
      toast("Answers saved.", { kind: "success" });
    } catch (error) {
      replace(status, errorBox(error));
    } finally {
      form.removeAttribute("aria-busy");
    }
  });
  loaded(section, h("h2", { id: "answers-title" }, "Answers to guest questions"), form);
}

function collect(form) {
  const value = (id) => form.querySelector(`#${id}`).value.trim();
  const translations = (pick) => Object.fromEntries(LANGUAGES.map(([lang]) => [lang, pick(lang)])
    .filter(([, found]) => found));
  const facts = {};
  for (const [topic] of TOPICS) {
    const answer = value(`fact-${topic}`);
    if (answer) facts[topic] = { text: answer, translations: translations((lang) =>
      value(`fact-${topic}-${lang}`)) };
  }
  const questions = [...form.querySelectorAll(".qa")].map((row) => row.dataset.id)
    .filter((id) => value(`${id}-question`) || value(`${id}-answer`))
    .map((id) => ({
      question: value(`${id}-question`),
      answer: value(`${id}-answer`),
      phrasings: value(`${id}-phrasings`).split("\n").map((line) => line.trim()).filter(Boolean),
      translations: translations((lang) => {
        const both = { question: value(`${id}-question-${lang}`) || null,
          answer: value(`${id}-answer-${lang}`) || null };
        return both.question || both.answer ? both : null;
      }),
    }));
  return { facts, questions };
}
