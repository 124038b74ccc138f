"""How each kind of line in the notes is read. One small note per behaviour."""

import pytest

from kb.model import Block, ItemList, Paragraph, Question
from kb.parse import parse_note
from kb.read import read_note


def parse(text: str, config, name: str = "n.txt"):
    note, _ = read_note(name, text.encode())
    return parse_note(note, config)


def questions(parsed):
    return [e for e in parsed.entries if isinstance(e, Question)]


def test_answer_after_arrow_on_the_same_line(config):
    (q,) = questions(parse("why do we need vector db -> own search algo and better indexing\n", config))
    assert q.title == "why do we need vector db"
    assert q.answer == (Paragraph(q.answer[0].text),) and q.answer[0].text.value == "own search algo and better indexing"


def test_arrow_inside_parentheses_is_part_of_the_question(config):
    (q,) = questions(parse("how to find d, what is p,d,q (SARIMA -> explain S, AR, I, MA)\n", config))
    assert q.title.endswith("(SARIMA -> explain S, AR, I, MA)") and q.answer == ()


def test_answer_after_question_mark_and_on_the_next_line(config):
    parsed = parse("is cluster physically exist ? Cluster does not have fix memory\nDoes node use memory ?\nNode should exist phyiscally\n", config)
    first, second = questions(parsed)
    assert first.answer[0].text.value == "Cluster does not have fix memory"
    assert second.answer[0].text.value == "Node should exist phyiscally" and second.source.lines == (2, 3)


def test_indented_lines_under_a_question_are_its_answer_and_follow_ups_join_it(config):
    text = ("why do we need tokens\n\t-> we need tokens because\nconcept drift vs data drift\n\thow to handle all those\n"
            "what is attention\n\twhat are queries keys and values\n")
    first, second, third, sub_question = questions(parse(text, config))
    assert first.answer[0].text.value == "we need tokens because"
    assert second.answer == () and second.detail == "how to handle all those" and second.source.lines == (3, 4)
    assert third.title == "what is attention" and sub_question.title == "what are queries keys and values" and sub_question.context == "what is attention"


def test_a_follow_up_line_joins_the_question_before_it(config):
    text = "posin encoding -> which method used\nwhy do we need above\nwhat is the o/p of attention layer\n"
    first, second = questions(parse(text, config))
    assert first.detail == "why do we need above" and first.source.lines == (1, 2)
    assert second.title == "what is the o/p of attention layer"


def test_parenthesised_line_after_a_question_is_its_detail(config):
    (q,) = questions(parse("where to use which activation function\n(which in object detection)\n", config))
    assert q.detail == "(which in object detection)" and q.source.lines == (1, 2)


def test_outline_keeps_its_nesting(config):
    parsed = parse("nlp important topics :-\n\tN-grams\n\t\tSOS , EOS\n\tEmbeddings\n", config)
    (block,) = parsed.entries
    assert isinstance(block, Block) and block.kind == "outline" and block.title == "nlp important topics :-"
    (items,) = block.body
    assert isinstance(items, ItemList) and [i.text.value for i in items.items] == ["N-grams", "Embeddings"]
    assert items.items[0].children[0].items[0].text.value == "SOS , EOS"


def test_run_of_mostly_questions_makes_every_line_a_prompt(config):
    parsed = parse("zip\npickling\nwhy do we need normalization\nwhat is the use of encoder\n", config)
    assert [q.title for q in questions(parsed)] == ["zip", "pickling", "why do we need normalization", "what is the use of encoder"]


def test_separators_and_repeated_lines_are_dropped_with_reasons(config):
    parsed = parse("Title\nTitle\n1. Topic:\nDefinition: a thing.\n=====\nLeave a comment\n", config)
    reasons = {d.line: d.reason for d in parsed.drops}
    assert reasons == {2: "repeats line 1 word for word", 5: "separator line (used to split the note into parts)", 6: "web page boilerplate"}
    assert parsed.contexts[0].line == 1


def test_fields_flattened_from_a_web_page_become_a_labelled_list(config):
    text = ("1. Chunking Strategies:\nChallenge: limited windows. Strategies: Sliding Window: moving window. "
            "Meaning-Based: semantic. Resources: Blog: Text Chunking Guide Library: LangChain (utilities)\n")
    (block,) = parse(text, config).entries
    items = block.body[0].items
    assert [i.label for i in items] == ["Challenge", "Strategies", "Resources"]
    assert [i.label for i in items[1].children[0].items] == ["Sliding Window", "Meaning-Based"]
    assert [(i.label, i.text.value) for i in items[2].children[0].items] == [("Blog", "Text Chunking Guide"), ("Library", "LangChain (utilities)")]


def test_markdown_toc_and_sign_off_are_dropped(config):
    text = "# LLM\n\n- [Is it?](#is-it)\n- [B](#b)\n\n## Is it?\n\nYes.\n\nFeel free to add anything.\n"
    parsed = parse(text, config, "n.md")
    assert {d.line: d.reason for d in parsed.drops} == {
        3: "hand-written table of contents (the site makes its own)",
        4: "hand-written table of contents (the site makes its own)",
        10: "chat-assistant sign-off",
    }
    (q,) = questions(parsed)
    assert q.title == "Is it?" and q.answer[0].text.value == "Yes."


def test_numbered_markdown_questions_with_nested_answers(config):
    text = "## Skills\n\n1. Explain overfitting.\n   * **Concept**: memorising.\n     * nested\n2. Describe a project.\n"
    first, second = questions(parse(text, config, "n.md"))
    assert first.title == "Explain overfitting." and first.context == "Skills"
    assert first.answer[0].items[0].text.value == "**Concept**: memorising."
    assert second.answer == ()


def test_stray_fragment_glued_to_a_paragraph_is_cut_and_reported(config):
    text = "1. Explain it.\n   * **Choosing**: depends on control.Supervised Learning:\n"
    parsed = parse(text, config, "n.md")
    (q,) = questions(parsed)
    assert q.answer[0].items[0].text.value == "**Choosing**: depends on control."
    assert [(d.line, d.text) for d in parsed.drops] == [(2, "Supervised Learning:")]


def test_video_notes_and_link_summaries_become_blocks(config):
    text = ("**1. Intro to GPT (0:03 - 0:32)**\n- GPT is a model.\n\n**2. Work (1:00 - 2:00)**\n- Predicts words.\n\n"
            "https://example.com/speed-up-llm-inference-83653aa24c47 -->\nIn summary:\n\n1. **Quantization**: less memory.\n")
    video, resource = parse(text, config, "n.md").entries
    assert video.kind == "video notes" and video.title == "Video notes: Intro to GPT"
    assert resource.kind == "resource" and resource.title == "Speed up llm inference"
    assert resource.body[0].url == "https://example.com/speed-up-llm-inference-83653aa24c47"


@pytest.mark.parametrize(("text", "line"), [("# T\n\n-----\n", 3), ("-----\n", 1)])
def test_horizontal_rule_is_dropped_on_its_own_line(config, text, line):
    parsed = parse(text, config, "n.md")
    assert [(d.line, d.reason) for d in parsed.drops] == [(line, "horizontal rule (layout only)")]
