import hashlib

from hypothesis import given
from hypothesis import strategies as st

from ketqual.core.text import sha256_bytes, sha256_text


def test_known_digests():
    assert sha256_bytes(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert sha256_text("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_text_hash_is_utf8_hash():
    text = "Café – “quoted” 🎉"
    assert sha256_text(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_lone_surrogate_does_not_raise():
    assert len(sha256_text("broken \ud800 text")) == 64


@given(st.text())
def test_text_and_bytes_agree(text):
    digest = sha256_text(text)
    assert digest == sha256_bytes(text.encode("utf-8", "surrogatepass"))
    assert len(digest) == 64 and digest == digest.lower()


@given(st.binary(), st.binary())
def test_distinct_inputs_distinct_digests(a, b):
    assert (sha256_bytes(a) == sha256_bytes(b)) == (a == b)
