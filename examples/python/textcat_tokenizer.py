"""Textcat's tokenizer in Python, as docs/tokenizer.md specifies it: NFKC, lowercase, ICU word (or grapheme)
segmentation, vocabulary lookup, left padding, and for a model with a wide path the ids of the line's known
n-grams. Uses ICU through PyICU (Debian: python3-icu) for every Unicode step, so its answers depend on the ICU
version only, as Textcat's own do (Node's Intl is ICU too).

    tokenizer = Tokenizer.from_json(json.load(open("model/textcat.json"))["tokenizer"])
    tokenizer.encode("The server crashed")  # -> [12, 845, 3]
    tokenizer.encode_ngrams("The server crashed")  # -> [4, 87, 9, ...] (empty without a wide path)
"""

import icu

PAD = 0
OOV = 1
LATEST_VERSION = 2
SEGMENTER_LOCALE = "en"

# ECMAScript's \s (WhiteSpace and LineTerminator), not Python's str.isspace: U+0085 and U+001C-U+001F differ.
JS_WHITESPACE = icu.UnicodeSet(r"[\t\n\u000B\f\r\uFEFF\u2028\u2029[:Zs:]]")
PUNCTUATION = icu.UnicodeSet("[:P:]")
NFKC = icu.Normalizer2.getNFKCInstance()
# V8's isWordLike: the break's rule status is a number, letter, kana or ideograph status (UBRK_WORD_NUMBER to
# UBRK_WORD_IDEO_LIMIT); spaces, punctuation and emoji have UBRK_WORD_NONE (0 to 99).
WORD_LIKE_STATUS = range(100, 500)
# Scripts written without spaces between words: their runs of tokens give character n-grams, not subwords.
NO_SPACE_SCRIPT = icu.UnicodeSet("[[:sc=Han:][:sc=Hiragana:][:sc=Katakana:][:sc=Thai:][:sc=Lao:][:sc=Khmer:][:sc=Myanmar:]]")


# Step 5's pieces (docs/tokenizer.md): offsets in UTF-16 code units, counted on an ICU UnicodeString.
PIECE_MIN = 1024
PIECE_MAX = 8192
CUT_BEFORE = icu.UnicodeSet(r"[\t\n\u000B\f\r\u0020\u3000!?\u3001\u3002\uFF01\uFF1F]")
NO_CUT_AFTER = icu.UnicodeSet(
    r"[\t\n\u000B\f\r\uFEFF\u2028\u2029[:Zs:]\u0D4E\U000111C2\U000111C3\U0001193F\U00011941\U00011A3A"
    r"\U00011A84-\U00011A89\U00011D46\U00011F02[:Cf:]]"
)
ATTACHED = icu.UnicodeSet("[[:M:][:Cf:]]")


def piece_end(utf16, p):
    """Where the piece of `utf16` (an icu.UnicodeString) starting at unit `p` ends."""
    length = len(utf16)
    if length - p <= PIECE_MIN:
        return length
    limit = min(length, p + PIECE_MAX)
    for i in range(p + PIECE_MIN, limit):
        if CUT_BEFORE.contains(chr(utf16.charAt(i))) and not NO_CUT_AFTER.contains(chr(utf16.char32At(i - 1))):
            return i  # char32At(i - 1) on a low surrogate gives the whole code point before i
    cut = limit  # the forced cut: back over low surrogates and marks, but not below p + PIECE_MIN
    while cut < length and cut > p + PIECE_MIN and (is_low_surrogate(utf16.charAt(cut)) or ATTACHED.contains(chr(utf16.char32At(cut)))):
        cut -= 1
    return cut


def is_low_surrogate(unit):
    return 0xDC00 <= unit <= 0xDFFF


def pieces(text):
    """The pieces of a line (step 5), as str; a line of at most PIECE_MIN units is one piece."""
    utf16 = icu.UnicodeString(text)
    p = 0
    while p < len(utf16):
        end = piece_end(utf16, p)
        yield str(utf16[p:end])
        p = end


def fnv1a(text):
    """32-bit FNV-1a over the UTF-8 bytes of `text` (a lone surrogate as U+FFFD)."""
    h = 0x811C9DC5
    valid = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    for byte in valid.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def ngram_features(tokens):
    """A line's n-gram strings in Textcat's order (docs/tokenizer.md, "N-grams"); `tokens` are the first maxLength."""
    features = list(tokens)
    features += [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]
    runs, run = [], ""
    for token in tokens:
        if NO_SPACE_SCRIPT.containsAll(token):
            run += token
        else:
            if run:
                runs.append(run)
            run = ""
    if run:
        runs.append(run)
    for chars in runs:  # a Python str indexes code points, as Array.from does
        features += [chars[i : i + n] for i in range(len(chars)) for n in range(1, 4) if i + n <= len(chars)]
    for token in tokens:
        if NO_SPACE_SCRIPT.containsAll(token):
            continue
        chars = f"<{token}>"
        features += [chars[i : i + n] for i in range(len(chars)) for n in range(3, 6) if i + n <= len(chars) and n < len(chars)]
    return features


def segments(iterator, text):
    """(segment, rule status) pairs of `text`; ICU counts in UTF-16 units, so slices are of a UnicodeString."""
    utf16 = icu.UnicodeString(text)
    iterator.setText(utf16)
    start = iterator.first()
    for end in iter(iterator.nextBoundary, icu.BreakIterator.DONE):
        yield str(utf16[start:end]), iterator.getRuleStatus()
        start = end


class Tokenizer:
    def __init__(self, config, vocab, version=LATEST_VERSION, ngram_hashes=None):
        if version > LATEST_VERSION:
            raise ValueError(f"tokenizer version {version} is newer than this reference ({LATEST_VERSION})")
        self.config = config
        self.vocab = vocab
        self.ids = {token: i for i, token in enumerate(vocab)}
        # A model with a wide path: the n-gram with hash ngram_hashes[i] has id i + 1 (0 is padding).
        self.ngram_ids = {h: i + 1 for i, h in enumerate(ngram_hashes)} if ngram_hashes is not None else None
        # Version 1 used the runtime's default locale; no ICU locale that V8 picks by default tailors word
        # breaks (only en-US-POSIX does), so both versions break as "en" does.
        locale = icu.Locale(SEGMENTER_LOCALE)
        self.words = icu.BreakIterator.createWordInstance(locale)
        self.graphemes = icu.BreakIterator.createCharacterInstance(locale)

    @classmethod
    def from_json(cls, saved):
        """From textcat.json's "tokenizer" or an export's tokenizer.json; ValueError when it is not one Textcat
        would load (there are no defaults for missing fields)."""
        version, config, vocab, ngrams = saved.get("version", 1), saved.get("config"), saved.get("vocab"), saved.get("ngrams")
        if not isinstance(version, int) or version < 1:
            raise ValueError('"version" must be a positive integer')
        if version >= 2 and saved.get("locale") != SEGMENTER_LOCALE:
            raise ValueError(f'"locale" of version {version} must be "{SEGMENTER_LOCALE}"')
        if not isinstance(config, dict) or config.get("mode") not in ("word", "char"):
            raise ValueError('"config.mode" must be "word" or "char"')
        if any(not isinstance(config.get(flag), bool) for flag in ("lowercase", "keepPunctuation")):
            raise ValueError('"config.lowercase" and "config.keepPunctuation" must be true or false')
        if not isinstance(config.get("maxLength"), int) or config["maxLength"] < 1:
            raise ValueError('"config.maxLength" must be a positive integer')
        if not isinstance(vocab, list) or vocab[:2] != ["<pad>", "<oov>"] or len(set(vocab)) != len(vocab):
            raise ValueError('"vocab" must start with "<pad>", "<oov>" and have no duplicates')
        if ngrams and len(set(ngrams["hashes"])) != len(ngrams["hashes"]):
            raise ValueError('"ngrams.hashes" has duplicates')
        return cls(config, vocab, version, ngrams["hashes"] if ngrams else None)

    def tokenize(self, text):
        """The line's tokens: steps 1-3 on each piece of step 5, concatenated."""
        return [token for piece in pieces(text) for token in self.piece_tokens(piece)]

    def piece_tokens(self, text):
        text = NFKC.normalize(text)
        if self.config["lowercase"]:
            text = str(icu.UnicodeString(text).toLower(icu.Locale.getRoot()))
        keep_punctuation = self.config["keepPunctuation"]
        if self.config["mode"] == "word":
            return [
                segment
                for segment, status in segments(self.words, text)
                if status in WORD_LIKE_STATUS or (keep_punctuation and not JS_WHITESPACE.containsAll(segment))
            ]
        return [
            segment
            for segment, _ in segments(self.graphemes, text)
            if not JS_WHITESPACE.containsAll(segment) and (keep_punctuation or not PUNCTUATION.containsAll(segment))
        ]

    def encode(self, text):
        """Ids of the first maxLength tokens; unknown tokens are OOV."""
        return [self.ids.get(token, OOV) for token in self.tokenize(text)[: self.config["maxLength"]]]

    def encode_ngrams(self, text):
        """Ids of the line's known n-grams (of its first maxLength tokens), each as often as it occurs; [] without a wide path."""
        if self.ngram_ids is None:
            return []
        tokens = self.tokenize(text)[: self.config["maxLength"]]
        hashes = (fnv1a(feature) for feature in ngram_features(tokens))
        return [self.ngram_ids[h] for h in hashes if h in self.ngram_ids]

    def model_input(self, text):
        """The model's input row: the ids right-aligned behind PAD, maxLength long."""
        ids = self.encode(text)
        return [PAD] * (self.config["maxLength"] - len(ids)) + ids


def check_vectors(path):
    """Runs docs/tokenizer-vectors.json; returns the number of failures. Picks the results listed for this
    ICU version where a case has results for older ICUs."""
    import json

    with open(path, encoding="utf-8") as f:
        vectors = json.load(f)
    icu_version = version_tuple(icu.ICU_VERSION)
    failed = 0
    for sample in vectors["fnv1a"]:
        if fnv1a(sample["text"]) != sample["fnv1a"]:
            failed += 1
            print(f"FAIL fnv1a({sample['text']!r}) = {fnv1a(sample['text'])} != {sample['fnv1a']}")
    ngram_vocab = vectors["ngramVocab"]
    if [fnv1a(feature) for feature in ngram_vocab["features"]] != ngram_vocab["hashes"]:
        failed += 1
        print("FAIL fnv1a of ngramVocab.features != ngramVocab.hashes")
    for case in vectors["invalidTokenizers"]:
        try:
            Tokenizer.from_json(case["tokenizer"])
            failed += 1
            print(f"FAIL accepted an invalid tokenizer: {case['name']}")
        except ValueError:
            pass
    for case in vectors["cases"]:
        config = {"maxVocab": 20000, "minCount": 1, **vectors["defaults"], **case.get("config", {})}
        version = case.get("tokenizerVersion", vectors["tokenizerVersion"])
        tokenizer = Tokenizer(config, vectors["vocab"], version, ngram_vocab["hashes"])
        expected = next(
            (o for o in case.get("olderIcu", []) if version_tuple(o["from"]) <= icu_version < version_tuple(o["below"])),
            case,
        )
        text = case["text"]
        got = {
            "tokens": tokenizer.tokenize(text),
            "ids": tokenizer.encode(text),
            "input": tokenizer.model_input(text),
            "ngrams": tokenizer.encode_ngrams(text),
        }
        # Every feature, not only the known ones: an implementation that makes extra features fails here.
        features = ngram_features(tokenizer.tokenize(text)[: config["maxLength"]])
        got["featureCount"] = len(features)
        got["featuresFnv1a"] = fnv1a("\n".join(features))
        if "features" in expected:
            got["features"] = features
        wrong = [key for key in got if got[key] != expected[key]]
        if wrong:
            failed += 1
            print(f"FAIL {case['name']}: {wrong[0]} {str(got[wrong[0]])[:200]} != {str(expected[wrong[0]])[:200]}")
    print(f"ICU {icu.ICU_VERSION}: {len(vectors['cases']) - failed} passed, {failed} failed")
    return failed


def version_tuple(version):
    return tuple(int(part) for part in version.split("."))


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 3 or sys.argv[1] != "--check":
        sys.exit("usage: textcat_tokenizer.py --check docs/tokenizer-vectors.json")
    sys.exit(1 if check_vectors(sys.argv[2]) else 0)
