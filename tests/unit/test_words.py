import pytest

from kb.words import clean_title, looks_like_question


@pytest.mark.parametrize(
    ("line", "asks"),
    [
        ("diff between lstm and gru", True),
        ("what is p-value in simplest term", True),
        ("bagging vs boosting", True),
        ("is cluster physically exist ? Cluster does not have fix memory", True),
        ("Explain the concept of overfitting and regularization", True),
        ("justfy lstm full form", True),  # a typo the corrections list fixes
        ("nlp important topics :-", False),
        ("huggingface hub", False),
        ("Data Preprocessing", False),
        ("", False),
    ],
)
def test_looks_like_question(line, asks, config):
    assert looks_like_question(line, config) is asks


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("diff between lstm and gru ", "Difference between LSTM and GRU"),
        ("what is p-value in simplest term", "What is p-value in simplest term?"),
        ("exploding gardient vs vanishing gradient", "Exploding gradient vs vanishing gradient"),
        ("top-p ,top_k,max_tokens", "Top-p, top_k, max_tokens"),
        ("why do we need feed fwd nn and what is its o/p", "Why do we need feed forward NN and what is its output?"),
        ("can we add new nodes in ec2 ?", "Can we add new nodes in EC2?"),
        ("1. MLOps vs. LLMOps:", "MLOps vs. LLMOps"),
        ("INSTRUCTION FINE TUNING (dataset -> prompt+completion)", "Instruction fine tuning (dataset -> prompt+completion)"),
        ("JD Example \\#1", "JD Example #1"),
        ("Explain the concept of bias in Generative AI.", "Explain the concept of bias in Generative AI."),
    ],
)
def test_clean_title(raw, clean, config):
    assert clean_title(raw, config) == clean


def test_headings_that_are_statements_get_no_question_mark(config):
    assert clean_title("Wht I am Learning", config, question=False) == "What I am Learning"
