"""The private check: whether a value was reported, answered without tipline learning the value
(docs/private-check.md). The keyed set follows the database; its key rotates without a pause."""
