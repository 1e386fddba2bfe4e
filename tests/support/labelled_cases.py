"""A small labelled question file the evaluation and schema tests share."""

from __future__ import annotations

SMALL_SET = """\
# a comment
questions:
  - text: "When was Crimea annexed?"
    expect: [crimea-annexed]
    split: alpha
  - text: "how long has the war lasted"
    expect: [war-duration, battlefield]
    split: beta
  - text: "What is the capital of France?"
    expect: []
    split: alpha
    near_topic: false
  - text: "Is Finland a NATO member?"
    expect: []
    split: beta
    near_topic: true
  - text: "no split given"
    expect: [summary]
"""
