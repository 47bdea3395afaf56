"""The stance of a text toward a proposition: ``support``, ``oppose``, ``open`` or ``neutral``.

Two layers, the first that answers wins:

1. **Rules** for constructions whose meaning is fixed by grammar: hedged
   exclusion ("did not rule out X", "cannot be ruled out" → ``open``), stance
   verbs and nouns with their negation ("rejected X", "expressed opposition to
   X", "does not support X", "No to X"), voting ("voted for X"), evaluations
   and consequences of X ("X would hinder growth", "X is a mistake"), and
   positions taken relative to someone else ("distanced themselves from Z's
   statement"); for a proposition that X is a problem, also what news reports
   of X (its harm and causes, X growing or receding, doubts and dismissals).
   Each rule needs the proposition's subject (or a word standing for it: "it",
   "the plan", or a phrase whose embedding is close to the subject's, found by
   :mod:`saywho.positions.synonyms`) in the same clause.
2. **A learned model** (``saywho/models/stance``: MiniLM-L6 cross-encoder trained
   on VAST and SemEval-2016 with their topics written as propositions, and on news
   sentences made from templates, run with onnxruntime) for everything else. It
   knows ``support``/``oppose``/``neutral``; ``open`` comes from rules only. Its
   support or oppose counts only at ``MIN_CONFIDENCE`` or above: below, the text
   is ``neutral``.

The direction of the proposition matters. "A border tax should be introduced"
wants X to happen: calling X harmful opposes it. "Climate change is a serious
concern" says X is bad: calling X harmful supports it, calling it a hoax
opposes it. "The border tax should be scrapped" wants X gone: rejecting X
supports it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from saywho.onnx import cpu_session
from saywho.positions.topics import STOPWORDS
from saywho.records import Span, Stance, StanceLabel

if TYPE_CHECKING:
    from saywho.positions.synonyms import SubjectFinder

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "stance"
NO_MODEL_ENV = "SAYWHO_STANCE_RULES_ONLY"  # "1": rules alone (tests, speed comparisons)
# The model's support/oppose counts only at this probability or above; below, the text is taken
# to report without a position (news is full of such sentences about a topic, and a model trained
# on opinionated comments reads many of them as for or against). Chosen on the project's own
# sentences (bench/eval_stance_news.py), never on GWSD: with the first propositions model, 0.50 at
# 0.7 against 0.34 with no threshold. Re-measured 2026-11-25 with stance-bb2bc599df40
# (eval_stance_news.py --min-confidence T) at 0.5 / 0.6 / 0.7 / 0.8 / 0.9: real news dev
# (stance_polnear + _dev2) 0.398 / 0.420 / 0.427 / 0.444 / 0.395, stance_news 0.661 / 0.682 / 0.666 /
# 0.671 / 0.680, stance_problem_dev 0.711 / 0.712 / 0.705 / 0.693 / 0.693; and with the model shipped
# after it, stance-3ed4ab4b1317, at 0.6 / 0.7 / 0.8 / 0.9: real news dev 0.507 / 0.501 / 0.474 / 0.471,
# stance_news 0.738 / 0.759 / 0.755 / 0.731 (BENCHMARKS.md). No value beats 0.7 on both real and
# written sets, so it stays: a position wrongly given to an actor costs a user more than one missed.
MIN_CONFIDENCE = 0.7

Kind = Literal["want", "unwant", "problem"]


# --- the proposition -------------------------------------------------------------------------------------

_NEG_PROP = re.compile(r"\b(?:not|no|never|n't)\b", re.I)
_UNWANT = re.compile(
    r"\b(?:scrap(?:ped)?|abolish(?:ed)?|ban(?:ned)?|stop(?:ped)?|end(?:ed)?|withdraw(?:n)?|repeal(?:ed)?|"
    r"reject(?:ed)?|cut|dropp?(?:ed)?|halt(?:ed)?|cancel(?:l?ed)?|prohibit(?:ed)?|outlaw(?:ed)?|"
    # undoing X, as the verbs of COUNTER_VERB do
    r"defund(?:ed)?|dismantled?|eliminated?|overturn(?:ed)?|revers(?:e|ed)|revok(?:e|ed)|rescind(?:ed)?|"
    r"lift(?:ed)?|kill(?:ed)?|remov(?:e|ed)|clos(?:e|ed)|shut(?:\s+down)?|phased?\s+out|"
    r"(?:roll(?:ed)?|scaled?)\s+back|(?:broken|break)\s+up|torn\s+up|tear\s+up|suspend(?:ed)?|block(?:ed)?|"
    r"axed?|ditch(?:ed)?|abandon(?:ed)?|(?:got|gotten|get)\s+rid\s+of)\b",
    re.I,
)
_PROBLEM = re.compile(
    r"\b(?:concern|problem|threat|danger|dangerous|crisis|risk|risky|worry|harmful|bad|serious|real|"
    r"emergency|catastroph\w*|disaster|urgent)\b",
    re.I,
)
_VERBISH = re.compile(
    r"\b(?:should|must|ought|shall|will|would|could|can|may|might|need|needs|is|are|was|were|be|has|have|"
    r"had|does|do|did)\b",
    re.I,
)
_ACTION = re.compile(
    r"(?:should|must|ought\s+to|needs?\s+to|has\s+to|have\s+to|will|shall)\s+(?:not\s+|never\s+)?"
    r"(?!(?:be|have|get|not|never|give|go|come)\b)[a-z]+\s+(?P<obj>[A-Za-z].*)$",
    re.I,
)
# The proposition's own predicate: "should be deported", "should raise interest rates".
_PREDICATE = re.compile(
    r"(?:should|must|ought\s+to|needs?\s+to|has\s+to|have\s+to|will|shall)(?:\s*(?:not|n't|never))?\s+"
    r"(?:be\s+|get\s+|go\s+)?(?:\w+ly\s+)?(?P<verb>[a-z]+)",
    re.I,
)
# Predicates that only ask for X to come about or go on: any modal on X that does not undo it
# wants it ("the tax should be approved" for "... should be introduced"). Another predicate is a
# specific act on X ("should be deported", "should be lowered"): "X should be welcomed" is no
# side on it, so a modal reads only that predicate (or, negated, its refusal).
_GENERIC_PREDICATE = re.compile(
    r"(?:introduc|adopt|approv|pass|implement|enact|build|built|creat|establish|allow|legali|permit|"
    r"keep|kept|maintain|retain|support|fund|back|accept|ratif|sign|extend|renew|restor|reinstat|"
    r"expand|continu|strengthen|protect|preserv|proceed|go|launch|impos|bring|set|made|make|put)",
    re.I,
)
_PREPOSITIONS = frozenset(
    {"on", "of", "in", "for", "at", "to", "from", "with", "by", "about", "against", "into"}
)
_TOKEN = re.compile(r"[\w'’-]+|[^\w\s]", re.U)


@dataclass(frozen=True, slots=True)
class Proposition:
    """What a rule needs to know about a proposition: its subject and its direction."""

    text: str
    terms: tuple[str, ...]  # phrases that name the subject X (lower case)
    kind: Kind  # want: X should happen; unwant: X should not; problem: X is bad / a concern
    action: str | None = None  # a specific act a modal on X must repeat to count (_GENERIC_PREDICATE)

    @property
    def sign(self) -> int:
        """+1 when supporting X itself supports the proposition, -1 when it opposes it."""
        return 1 if self.kind == "want" else -1


@lru_cache(maxsize=256)
def proposition(text: str, keywords: tuple[str, ...] = ()) -> Proposition:
    """A proposition's subject phrase (before its verb), and whether it wants X, not X, or calls X bad."""
    m = _VERBISH.search(text)
    subject = text[: m.start()] if m else text
    rest = text[m.start() :] if m else ""
    # "The city should build a new stadium": the question is the object, not the actor
    act = _ACTION.match(rest)
    if act:
        subject = act.group("obj")
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]*", subject)]
    content = [w for w in words if w not in STOPWORDS]
    # the head comes before a modifying phrase: "the speed limit on motorways" is a limit
    cut = next((i for i, w in enumerate(words) if w in _PREPOSITIONS), len(words))
    head = [w for w in words[:cut] if w not in STOPWORDS] or content
    terms: list[str] = [k.lower() for k in keywords if k.strip()]
    if content:
        terms.append(" ".join(content))
        if len(head) > 1:
            terms.append(" ".join(head[-2:]))
        terms.append(head[-1])  # the head noun alone ("the tax")
    if not terms:
        terms = [w.lower() for w in re.findall(r"[A-Za-z]{4,}", text) if w.lower() not in STOPWORDS][:2]
    if _PROBLEM.search(rest) and not _NEG_PROP.search(rest):
        kind: Kind = "problem"
    elif bool(_NEG_PROP.search(rest)) != bool(_UNWANT.search(rest)):
        kind = "unwant"
    else:
        kind = "want"
    uniq = tuple(dict.fromkeys(t for t in terms if t))
    pred = _PREDICATE.match(rest)
    action = None
    if kind == "want" and pred and not _GENERIC_PREDICATE.match(pred.group("verb")):
        action = pred.group("verb").lower()
    return Proposition(text=text, terms=uniq, kind=kind, action=action)


# --- rules ----------------------------------------------------------------------------------------------

NEG = r"(?:not|n't|never|no\s+longer|hardly)"
# Words that stand for the subject once the text is about it.
# "The plan" is X unless what it is follows ("backed the plan to ban X": the verb reaches X itself).
ANAPHOR = (
    r"(?:it|this|that|such\s+(?:a|an)\s+\w+|the\s+(?:levy|(?:idea|plan|proposal|measure|move|policy|scheme|"
    r"bill|law|step|initiative|option|project|deal|decision|reform|call|calls|demand|demands)"
    r"(?!\s+(?:to|of|for)\b)))"
)
SUPPORT_VERB = (
    r"(?:support(?:s|ed|ing)?|back(?:s|ed|ing)?|endorse[sd]?|endorsing|favou?r(?:s|ed|ing)?|welcome[sd]?|"
    r"welcoming|champion(?:s|ed|ing)?|advocate[sd]?|advocating|push(?:es|ed|ing)?\s+for|call(?:s|ed|ing)?\s+for|"
    r"press(?:es|ed|ing)?\s+for|demand(?:s|ed|ing)?|urge[sd]?|urging|campaign(?:s|ed|ing)?\s+for|"
    r"argue[sd]?\s+for|arguing\s+for|embrace[sd]?|embracing|approve[sd]?|approving|"
    r"(?:fight(?:s|ing)?|fought|battl(?:e|es|ed|ing))\s+for|"
    r"vote[sd]?\s+(?:for|in\s+favou?r\s+of)|voting\s+(?:for|in\s+favou?r\s+of)|sign(?:s|ed)?\s+up\s+to|"
    r"stand(?:s)?\s+by|stood\s+by|defend(?:s|ed|ing)?|(?:am|is|are|was|were|'m|'re)\s+(?:all\s+)?for|"
    # repeating one's own call is a side for what it asks ("repeated his call to ban X")
    r"(?:repeat|renew|reiterat|restat)(?:e|es|ed|s|ing)?(?=\s+(?:his|her|their|its|our|my)\s+(?:own\s+)?"
    r"(?:calls?|demands?|proposals?|plans?|pledges?|promises?|support|push|bid)\b))"
)
OPPOSE_VERB = (
    r"(?:reject(?:s|ed|ing)?|oppose[sd]?|opposing|object(?:s|ed|ing)?\s+to|veto(?:es|ed|ing)?|"
    r"vote[sd]?\s+against|voting\s+against|refuse[sd]?|refusing|condemn(?:s|ed|ing)?|"
    r"criticis(?:e|es|ed|ing)|criticiz(?:e|es|ed|ing)|denounce[sd]?|denouncing|slam(?:s|med|ming)?|"
    r"dismiss(?:es|ed|ing)?|"
    r"argue[sd]?\s+against|arguing\s+against|warn(?:s|ed|ing)?\s+against|"
    r"(?:has|have|had)\s+ruled\s+out|rule[sd]?\s+out|ruling\s+out|den(?:y|ies|ied)|denying|"
    r"spoke\s+out\s+against|speak(?:s|ing)?\s+out\s+against|(?:am|is|are|was|were|'m|'re)\s+against|"
    r"(?:am|is|are|was|were|'m|'re)\s+opposed\s+to|balk(?:s|ed)?\s+at|baulk(?:s|ed)?\s+at|"
    r"distanc(?:e|es|ed|ing)\s+(?:\w+\s+)?from|turn(?:s|ed)?\s+down|shoot(?:s)?\s+down|shot\s+down|"
    # criticism
    r"decr(?:y|ies|ied|ying)|rebuk(?:e|es|ed|ing)|lambast(?:s|ed|ing)?|assail(?:s|ed|ing)?|"
    r"deplor(?:e|es|ed|ing)|disavow(?:s|ed|ing)?|repudiat(?:e|es|ed|ing)|castigat(?:e|es|ed|ing)|"
    r"blast(?:s|ed|ing)?|rail(?:s|ed|ing)?\s+against|(?:take|takes|took|taking)\s+aim\s+at|"
    r"push(?:es|ed|ing)?\s+back\s+(?:on|against)|(?:break|breaks|broke|breaking)\s+with|"
    # protest and scorn
    r"protest(?:s|ed|ing)?(?!\s+(?:against|over|outside|in|at|on)\b)|"
    r"derid(?:e|es|ed|ing)|mock(?:s|ed|ing)?|ridicul(?:e|es|ed|ing)|scoff(?:s|ed|ing)?\s+at|"
    r"(?:take|takes|took|taking)\s+(?:a\s+|some\s+)?shots?\s+at)"
)
# Acting against X (rather than rejecting a claim about X): for a proposition that X is a
# problem, fighting X means taking it seriously. "fight climate change" supports "climate change
# is a serious concern"; "rejected the border tax" opposes "a border tax should be introduced".
COUNTER_VERB = (
    r"(?:(?:fight(?:s|ing)?|fought|battl(?:e|es|ed|ing))(?!\s+for\b)|combat(?:s|ed|ing|t?ing)?|tackl(?:e|es|ed|ing)|address(?:es|ed|ing)?|"
    r"mitigat(?:e|es|ed|ing)|curb(?:s|ed|ing)?|reduc(?:e|es|ed|ing)|limit(?:s|ed|ing)?|slow(?:s|ed|ing)?|"
    r"halt(?:s|ed|ing)?|stop(?:s|ped|ping)?|prevent(?:s|ed|ing)?|cut(?:s|ting)?|"
    r"confront(?:s|ed|ing)?|counter(?:s|ed|ing)?|act(?:s|ed|ing)?\s+on|(?:take|takes|took|taking)\s+action\s+on|"
    r"warn(?:s|ed|ing)?\s+(?:of|about|that)|campaign(?:s|ed|ing)?\s+against|block(?:s|ed|ing)?|"
    r"attack(?:s|ed|ing)?|resist(?:s|ed|ing)?|scrap(?:s|ped|ping)?|"
    # undoing X; verbs only ("the repeal of X" names an event, not a side)
    r"(?<!\bthe\s)(?<!\ba\s)(?:repeal(?:s|ed|ing)?|abolish(?:es|ed|ing)?|dismantl(?:e|es|ed|ing)|"
    r"defund(?:s|ed|ing)?|overturn(?:s|ed|ing)?|(?:roll(?:s|ed|ing)?|scal(?:e|es|ed|ing))\s+back|"
    r"(?:get|gets|getting|got)\s+rid\s+of|undo(?:es|ing)?|undid|gut(?:s|ted|ting)?|"
    r"ban(?:s|ned|ning)?|eliminat(?:e|es|ed|ing)))"
)
# Keeping X as it is: for a policy, a side for X; for a problem, no reading ("protect X" is rare
# and ambiguous there). "pledged to preserve the health law" opposes its repeal.
KEEP_VERB = (
    r"(?:preserv(?:e|es|ed|ing)|protect(?:s|ed|ing)?(?!\s+(?:against|from)\b)|safeguard(?:s|ed|ing)?|"
    r"uph(?:old|olds|eld|olding)|(?:build(?:s|ing)?|built)\s+on|sav(?:e|es|ed|ing))"
)
# Bringing X about, after a word that asks for it: "must introduce X", "it is time to bring in X"
# ("the government introduced X" reports an act and takes no side, so the modal is required).
ADOPT_VERB = (
    r"(?:introduc(?:e|ing)|adopt|implement|pass|enact|bring\s+in|impose|create|establish|build|launch|"
    r"raise(?!\s+(?:concerns?|questions?|doubts?|objections?|fears?|alarm|the\s+alarm)\b)|approve|"
    r"go\s+ahead\s+with|press\s+ahead\s+with)"
)
ADOPT = (
    rf"(?:should|must|ought\s+to|needs?\s+to|has\s+to|have\s+to|(?:it\s+is|it's)\s+(?:high\s+)?time\s+to|"
    r"let's|let\s+us|"
    # an intention asks for it as a modal does: "promises to raise the minimum wage"
    r"(?:promis|vow|pledg|want|seek|aim|plann?|propos|intend)(?:e|es|s|ed|ing)?\s+to|sought\s+to"
    rf")(?P<neg>\s*{NEG})?\s+(?:finally\s+|now\s+|quickly\s+|also\s+)?{ADOPT_VERB}"
)
# The same verb opening a sentence is an imperative: "Build it!", "Bring in the import duty, I say"
IMPERATIVE = rf"(?:^|(?<=[.!?]\s)|(?<=[\"'])){ADOPT_VERB}"
NEED = r"(?:need|needs|needed|want|wants|wanted)"  # with X right after: "we need a border tax"
# Liking or loathing X itself says X is good or bad
LOVE = r"(?:love[sd]?|loving|adore[sd]?|adoring)"
HATE = r"(?:hate[sd]?|hating|detest(?:s|ed|ing)?|loathe[sd]?|loathing|despise[sd]?|despising)"
SUPPORT_NOUN = (
    r"(?:support|backing|endorsement|enthusiasm|approval|sympathy)\s+(?:for|of)|"
    r"(?:defenders?|champions?|advocates?|proponents?|supporters?)\s+of"
)
OPPOSE_NOUN = (
    r"(?:opposition|objections?|resistance|hostility)\s+(?:to|against)|(?:rejection|criticism|condemnation)\s+of|"
    r"doubts\s+(?:about|over)|concerns?\s+(?:about|over)\s+the\s+(?:plan|proposal|idea)|"
    r"disagreements?\s+(?:with|over|about)|displeasure\s+(?:with|at|over)|outrage\s+(?:over|at)|"
    r"backlash\s+(?:against|over)|(?:critics?|opponents?|foes?)\s+of|"
    r"(?:rall(?:y|ies)|protests?|march(?:es)?|petitions?|lawsuits?)\s+against"
)
OPEN_PHRASE = (
    rf"(?:(?:can|could|would|will|did|does|do|shall|should)\s*{NEG}\s+(?:be\s+)?(?:rule[sd]?|ruling)\s+(?:\w+\s+)?out|"
    rf"{NEG}\s+(?:be\s+|been\s+)?ruled\s+out|{NEG}\s+ruling\s+(?:\w+\s+)?out|"
    rf"(?:can|could|would|will|did|does|do)\s*{NEG}\s+(?:be\s+)?exclude[d]?|{NEG}\s+(?:be\s+|been\s+)?excluded|"
    rf"{NEG}\s+excluding|(?:would|could|will|might|may)\s+(?:be\s+willing\s+to\s+)?consider|"
    r"(?:am|'m|is|are|was|were|be|remain(?:s|ed)?)\s+(?:still\s+)?open\s+to|willing\s+to\s+(?:consider|discuss|look\s+at)|"
    r"(?:keep|keeps|kept|keeping|leave|leaves|left|leaving)\s+the\s+door\s+open\s+(?:to|for)|"
    rf"{NEG}\s+off\s+the\s+table|(?:remains?|is|was)\s+(?:still\s+)?on\s+the\s+table|"
    r"(?:has|have|had)\s*(?:not|n't)\s+(?:yet\s+)?decided\s+(?:on|about|whether)|undecided\s+(?:on|about)|"
    r"(?:is|was|remains?)\s+(?:a\s+|an\s+)?(?:possible|possibility|option)\b)"
)
# after X: the open constructions written in the passive ("X cannot be ruled out")
OPEN_AFTER = (
    rf"(?:can|could|would|will|should|is|was|has|have)\s*{NEG}\s+(?:be\s+|been\s+)?(?:ruled\s+out|excluded)|"
    r"(?:remains?|is|was)\s+(?:still\s+)?(?:possible|an\s+option|on\s+the\s+table)|"
    r"(?:could|might|may)\s+(?:still\s+)?(?:happen|be\s+(?:introduced|considered|an\s+option))"
)
BAD_CONSEQUENCE = (
    r"(?:hinder|hurt|harm|damage|undermine|threaten|destroy|cost|kill|weaken|jeopardi[sz]e|endanger|cripple|"
    r"ruin|devastate|hamper|stifle|choke|wreck|worsen|disrupt|impede|burden|penali[sz]e|punish|sabotage|"
    # verbs that diminish their object: bad for growth, good against smuggling (see UNDESIRED)
    r"reduce|curb|lower|cut|slash|limit|prevent|stop|tackle|eliminate|end|shrink)"
)
GOOD_CONSEQUENCE = (
    r"(?:help|boost|strengthen|protect|improve|benefit|save|create|support|secure|bolster|"
    r"promote|encourage|ease|fix|solve)"
)
BAD_EVAL = (
    r"(?:a\s+)?(?:mistake|error|wrong|bad(?:\s+idea)?|dangerous|disaster|disastrous|unacceptable|unnecessary|"
    r"(?:(?:complete|total|huge)\s+)?waste|wasteful|"
    r"harmful|misguided|folly|reckless|unfair|unworkable|counterproductive|a\s+threat|threat|a\s+danger|"
    r"damaging|irresponsible|ill-advised|absurd|outrageous|catastroph\w+|a\s+catastrophe|a\s+crisis|"
    r"a\s+problem|a\s+serious\s+(?:problem|threat|concern|risk)|a\s+concern|serious|urgent|alarming|"
    r"a\s+(?:grave|major|real|serious|growing|existential)\s+(?:threat|danger|risk|problem|concern)|"
    r"(?:one\s+of\s+)?the\s+(?:most\s+serious|biggest|greatest|gravest|main|top|worst|single\s+biggest)\s+"
    r"(?:threats?|dangers?|risks?|problems?|concerns?|challenges?)|an?\s+(?:epidemic|scourge|menace|plague))"
)
DISMISS_EVAL = (
    r"(?:a\s+)?(?:hoax|myth|scam|fraud|exaggerated|overblown|overstated|overhyped|alarmis[tm]|a\s+fiction|"
    r"fake|made\s+up|not\s+(?:a\s+)?(?:real|serious|problem|threat|concern|crisis)|nothing\s+to\s+worry\s+about|"
    r"no\s+(?:cause|reason)\s+for\s+(?:alarm|concern)|natural|unproven|uncertain|unfounded|misplaced|"
    r"unwarranted|baseless|(?:a\s+)?(?:moral\s+)?panic|hysteria|scaremongering|blown\s+out\s+of\s+proportion)"
)
GOOD_EVAL = (
    r"(?:necessary|needed|essential|vital|crucial|overdue|long\s+overdue|right|the\s+right\s+(?:thing|step|move)|"
    r"a\s+good\s+idea|good|fair|sensible|reasonable|important|welcome|inevitable|the\s+only\s+way|the\s+answer|"
    r"the\s+solution|justified|beneficial|a\s+step\s+forward)"
)
# For a proposition that X is a problem, news takes a side less by judging X than by what it
# reports of it: harm done by X, effects blamed on X, X growing or receding, X real or doubted.
HARM_OF = (
    r"(?:dangers?|threats?|risks?|perils?|toll|damage|harm|costs?|burden|scourge|menace|ravages|"
    r"effects?|impacts?|consequences|fallout|victims|dangers\s+posed)\s+(?:of|from|caused\s+by|posed\s+by)"
)
BLAMED_ON = (
    r"(?:caused|driven|fuell?ed|worsened|exacerbated|aggravated|triggered|induced|made\s+worse|"
    r"blamed\s+on|attributed\s+to|linked\s+to|due\s+to|owing\s+to|because\s+of|as\s+a\s+result\s+of)"
    r"(?:\s+by)?"
)
GROWING = (
    r"(?:rising|growing|increasing|worsening|accelerating|spreading|soaring|surging|intensifying|"
    r"mounting|escalating|getting\s+worse|on\s+the\s+rise|rampant|widespread|real|happening|"
    r"undeniable|here\s+to\s+stay|out\s+of\s+control)"
)
GROWTH_OF = (
    r"(?:rise|surge|increase|spike|growth|spread|acceleration|explosion|epidemic|worsening)\s+(?:of|in)"
)
RECEDING = (
    r"(?:falling|declining|easing|slowing|receding|cooling|subsiding|stabili[sz]ing|under\s+control|"
    r"manageable|temporary|transitory|contained|modest|limited|rare|negligible|overstated|exaggerated|"
    r"overblown|overhyped|not\s+(?:rising|growing|increasing|happening|real))"
)
DOUBT_OF = (
    r"(?:doubts?|doubted|doubting|scepti(?:c|cs|cal|cism)|skepti(?:c|cs|cal|cism)|questioned|questioning|"
    r"downplay(?:s|ed|ing)?|play(?:s|ed|ing)?\s+down|exaggerat(?:e|es|ed|ing)|overstat(?:e|es|ed|ing)|"
    r"hype[sd]?\s+up|no\s+(?:evidence|proof|sign)|little\s+(?:evidence|sign))"
    r"(?:\s+(?:about|over|of|on|that|for|whether))?"
)
CAUSES = (
    r"(?:caus(?:e|es|ed|ing)|le(?:d|ads?|ading)\s+to|contribut(?:e|es|ed|ing)\s+to|responsible\s+for|"
    r"blamed\s+for|(?:is|are|was|were)\s+(?:linked|tied|connected)\s+to|linked\s+to|associated\s+with|"
    r"(?:rais|increas|doubl|tripl|heighten)(?:e|es|ed|ing)\s+the\s+(?:risk|risks|odds|likelihood|chance)s?\s+of)"
)
HARM_OBJ = (
    r"(?:deaths?|disease|diseases|illness|illnesses|damage|losses|harm|suffering|hardship|poverty|debt|"
    r"depression|anxiety|addiction|crisis|crises|injur(?:y|ies)|fatalit(?:y|ies)|famine|hunger|"
    r"stroke|strokes|heart\s+disease|cancer|dementia|bankruptc(?:y|ies)|closures|job\s+losses)"
)
TREAT_AS = (
    r"(?:treat(?:s|ed|ing)?|regard(?:s|ed|ing)?|see(?:s|ing)?|saw|view(?:s|ed|ing)?|consider(?:s|ed|ing)?|"
    r"describ(?:e|es|ed|ing)|call(?:s|ed|ing)?|label(?:s|ed|led|ing)?|declar(?:e|es|ed|ing)|brand(?:s|ed|ing)?)"
)
CONCERN_OF = r"(?:concerns?|fears?|worr(?:y|ies)|alarm|anxiety|anxieties|warnings?)\s+(?:about|over|of|on)"
# Things nobody wants: hindering one of these is a good thing.
UNDESIRED = (
    r"(?:inflation|unemployment|crime|poverty|debt|deficits?|costs|prices|emissions|pollution|corruption|"
    r"smuggling|fraud|abuse|violence|terrorism|waste|losses|deaths|illness|disease|congestion|the\s+enemy|"
    r"imports|dumping|evasion)"
)
# Desired or neutral objects of a consequence verb (the default): growth, jobs, trade, peace ...
# Words that start another clause or an adjunct between a cue and the subject: "supported
# localities deciding whether X", "advocated for a public option during the X talks".
CLAUSE_BREAK = re.compile(
    r"[;:]|\bbut\b|\bhowever\b|\bwhile\b|\bwhereas\b|\balthough\b|\bwhether\b|\bbecause\b|\bduring\b", re.I
)
WINDOW = 60  # characters between a cue and the subject it governs


@dataclass(frozen=True, slots=True)
class _Hit:
    label: StanceLabel
    start: int
    end: int
    strength: float
    relative_to: str | None = None
    relation: Literal["opposite", "same"] | None = None
    governs: bool = True  # whether a hit inside this one's span is read as its object
    reach: int = 0  # characters between the cue and the subject: the nearest predicate governs
    # a verb before its object: +1 for it ("called for"), -1 against it ("opposed", "repeal"),
    # negation included; 0 for the rest. An outer verb composes with an inner one.
    polarity: int = 0
    proposed: bool = False  # inside someone's proposal ("the plan to ban X"): composes, never decides alone


# After a wanted X: wanting it away ("I want every nuclear weapon gone")
_GONE_AFTER_X = re.compile(r"\s+(?:gone|scrapped|banned|abolished|removed|dismantled)\b", re.I)
# Before X: an evaluation or a consequence is of undoing X ("banning it would be a mistake")
# or of a plan to undo it ("Trump's proposal to ban Muslims was dangerous")
_UNDOING_BEFORE = re.compile(
    r"\b(?:banning|scrapping|abolishing|repealing|cutting|ending|dropping|axing|ditching|removing|"
    r"eliminating|stopping|lifting|defunding|dismantling|getting\s+rid\s+of|"
    r"(?<=\bto\s)(?:ban|scrap|abolish|repeal|cut|end|drop|axe|ditch|remove|eliminate|stop|lift|defund|"
    r"dismantle|get\s+rid\s+of))\s+(?:(?:the|a|this|that|our)\s+)?$",
    re.I,
)
# Before a cue: the act is the content of a proposal, not the speaker's side ("Trump's call to ban X")
_PROPOSAL_BEFORE = re.compile(
    r"\b(?:proposals?|plans?|calls?|bids?|push|moves?|ideas?|decisions?|efforts?|attempts?|pledges?|"
    r"promises?|vows?|orders?|bills?|measures?|policy|policies|threats?)\s+to\s+$",
    re.I,
)
# A modal's "go" with nothing after it undoes X ("the tax must go"); "must go ahead" does not
_GO_ALONE = re.compile(r"\bgo\s*$")
# Before X: a modal reads no side inside a question ("not sure whether the limit should change")
_WHETHER_BEFORE = re.compile(r"\b(?:whether|if)\s+(?:\w+\s+){0,3}$", re.I)
# Right after X: the cue is about less of X ("the Bush tax cuts", "tax relief")
_CUT_OF_X = re.compile(r"\s+(?:cuts?|reductions?|relief|breaks?|holidays?|freeze)\b", re.I)

# A question asking for information ("Where would the stadium be built?"); "Why should we ...?" and
# "Isn't it ...?" are left alone: they are mostly rhetorical and take a side.
_INFO_QUESTION = re.compile(
    r"^\s*[\"']?(?:how|what|where|when|who|which|would|will|is|are|does|do|can|could)\b(?!n't)[^?]*\?[\"']?\s*$",
    re.I,
)
_UNDECIDED = re.compile(
    r"\b(?:(?:don't|do\s+not|doesn't|does\s+not)\s+know\s+enough|no\s+(?:strong\s+|real\s+)?opinion|"
    r"(?:haven't|have\s+not|hasn't|has\s+not)\s+(?:yet\s+)?(?:made\s+up|decided)|undecided|on\s+the\s+fence|"
    r"(?:go|goes|going|went)\s+back\s+and\s+forth|arguments\s+on\s+both\s+sides|(?:can\s+)?see\s+both\s+sides|"
    r"torn\s+(?:over|about|on)|not\s+sure\s+(?:whether|if))\b",
    re.I,
)

_POLARITY = {"support": 1, "keep": 1, "oppose": -1, "counter": -1}  # see _Hit.polarity


# The period of a title or an initial ("Mr. Trump's plan", "the U.S. ban") does not end a cue's reach.
_ABBREV = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|Rev|Jr|Sr|St|Ft|Mt|vs|Inc|Corp|Co|Ltd)\."
    r"|\b[A-Z]\.(?=[A-Z]\.|\s*[A-Z(])"
)
_NOT_A_STOP = "\u2024"  # one dot leader: not sentence punctuation to the patterns


def _norm(text: str) -> str:
    # same length as the input, so offsets found in it are offsets into the text
    text = text.translate(str.maketrans("’‘“”", "''\"\""))
    return _ABBREV.sub(lambda m: m.group()[:-1] + _NOT_A_STOP, text)


# Stands in (same length) for each span that names the subject in other words (synonyms.py),
# so the patterns see it as the subject and offsets stay those of the text.
MARK = "\u1e8a"


def _mark(text: str, spans: Sequence[tuple[int, int]]) -> str:
    for s, e in spans:
        text = text[:s] + MARK * (e - s) + text[e:]
    return text


def _subject_pattern(p: Proposition, anaphor: bool = True) -> str:
    """The subject's words (lightly stemmed), a synonym's mark, and (``anaphor``) words standing for it."""
    alts = [f"{MARK}+"]
    for t in p.terms:
        words = t.split()
        # a light stem per word: "taxes" and "taxation" match "tax"; "troops" matches "troop"
        alts.append(r"\s+(?:\w+\s+){0,2}?".join(re.escape(_stem(w)) + r"\w*" for w in words))
    alts.sort(key=len, reverse=True)
    return rf"(?:{'|'.join(alts)}|{ANAPHOR})" if anaphor else rf"(?:{'|'.join(alts)})"


def _stem(w: str) -> str:
    for suf in ("ations", "ation", "ings", "ing", "ies", "es", "s", "ed"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: -len(suf)]
    return w


def _same_predicate(a: str, b: str) -> bool:
    """The same verb or adjective in another form: "deport"/"deported", "legal"/"legalised"."""
    sa, sb = _stem(a.lower()), _stem(b.lower())
    common = next((i for i, (x, y) in enumerate(zip(sa, sb, strict=False)) if x != y), min(len(sa), len(sb)))
    return common >= 3 and common >= min(len(sa), len(sb)) - 1


def _flip(label: StanceLabel, sign: int) -> StanceLabel:
    if sign > 0 or label not in ("support", "oppose"):
        return label
    return "oppose" if label == "support" else "support"


def _negated_before(text: str, start: int) -> bool:
    before = text[max(0, start - 24) : start]
    # "n't" has no word boundary before it ("doesn't")
    return bool(re.search(rf"(?:\b|(?=n't)){NEG}\s+(?:\w+\s+)?$|\bno\s+$|\bnor\s+$", before, re.I))


def _clause_ok(text: str, a: int, b: int) -> bool:
    """Nothing between a and b that starts another clause."""
    return not CLAUSE_BREAK.search(text[a:b])


# Before its predicate, "that"/"this" stands for the subject only when a verb follows ("that would
# hurt"); otherwise it is most often a conjunction ("said that rising prices ...").
_SUBJ_VERB = (
    r"(?=\s+(?:is|was|would|will|could|can|must|should|might|may|has|had|risks?|threatens)\b|'s\b|\s*[.,;!?])"
)
# A copula before an evaluation: "X is a mistake", "X had turned into a moral panic".
COPULA = (
    r"(?:is|are|was|were|would\s+be|will\s+be|remains?|seems?|has\s+been|have\s+been|had\s+been|'s|"
    r"(?:has|have|had)\s+become|became|becomes|(?:has\s+|have\s+|had\s+)?turned\s+into)"
)
# A consequence verb, not the noun spelt alike ("the end of the year", "curbs on imports").
_VERB_HERE = r"(?<!\bthe\s)(?<!\ba\s)(?<!\ban\s)(?<!\bits\s)(?<!\bno\s)"
_NOT_PREP = r"(?!(?:on|of|in|to|for|at|by|with|from|and|or)\b)"


# A bare "that" stands for X only where a clause can open: after punctuation, a conjunction or a verb
# of saying ("He said that would hurt farmers"); after a noun it is a relative pronoun ("rules that
# would hurt exports", "critics of a measure that could cost jobs").
_THAT_OPENS_AFTER = re.compile(
    r"(?:^|[^\w\s]\s*|\b(?:and|but|or|so|yet|because|since|as|if|while|whereas|although|though|when|why|how|"
    r"is|was|are|were|said|says|say|saying|told|tells|tell|think|thinks|thought|believes?|believed|"
    r"warn(?:s|ed)?|argu(?:e|es|ed)|add(?:s|ed)?|insist(?:s|ed)?|not(?:e|es|ed)|fear(?:s|ed)?|knows?|knew|"
    r"agree[sd]?|claim(?:s|ed)?|stat(?:e|es|ed)|wrote|writes|suggest(?:s|ed)?|explain(?:s|ed)?|"
    r"admit(?:s|ted)?|conced(?:e|es|ed)|"
    # a noun of content takes a clause, not a relative: "no evidence that the reactors posed any risk"
    r"evidence|hopes?|signs?|proof|idea|views?|beliefs?|notion|suggestions?|warnings?|"
    r"concerns?|fact|news|word|reports?)\s+)$",
    re.I,
)


def _relative_that(text: str, start: int) -> bool:
    return not _THAT_OPENS_AFTER.search(text[max(0, start - 30) : start])


def _x_subject(x: str) -> str:
    """The subject pattern for a predicate that follows it: a bare "that"/"this" needs its verb."""
    return rf"(?:(?!(?:that|this)\b){x}|(?:that|this){_SUBJ_VERB})"


@lru_cache(maxsize=256)
def _patterns(p: Proposition) -> list[tuple[re.Pattern[str], str]]:
    x = _subject_pattern(p)
    xs = _x_subject(x)
    x_named = _subject_pattern(p, anaphor=False)  # a slogan names its subject: "No to the border tax!"
    gap = rf"(?:[^.;:!?]{{0,{WINDOW}}}?)"
    f = re.I

    def cue_then_x(cue: str, what: str, between: str | None = None) -> tuple[re.Pattern[str], str]:
        between = rf"\s+{gap}\b" if between is None else rf"\s+{between}"
        return re.compile(rf"\b(?P<cue>{cue}){between}(?P<x>{x})\b", re.I), what

    def x_then_cue(cue: str, adverbs: str, what: str) -> tuple[re.Pattern[str], str]:
        # "X is still rising", "X has been falling", "X, he said, remains under control"
        return (
            re.compile(
                rf"\b(?P<x>{xs})\b[^.;:!?]{{0,30}}?\s(?:is|are|was|were|has\s+been|have\s+been|remains?|"
                rf"seems?|'s|keeps?|kept)?\s*(?:(?:still|now|already|clearly|truly|really|very|so|{adverbs})"
                rf"\s+)*{_VERB_HERE}(?P<cue>{cue})\b",
                re.I,
            ),
            what,
        )

    def x_is(cue: str, what: str, adverbs: str = "") -> tuple[re.Pattern[str], str]:
        # "X is a mistake", "X is simply a hoax", "X had turned into a moral panic"
        return (
            re.compile(
                rf"\b(?P<x>{xs})\b[^.;:!?]{{0,30}}?\s{COPULA}\s+"
                rf"(?:(?:a|an|very|so|too|truly|really|simply|just|clearly|absolutely{adverbs})\s+)*"
                rf"(?P<cue>{cue})\b",
                re.I,
            ),
            what,
        )

    pats = [
        (re.compile(rf"\b(?P<cue>{OPEN_PHRASE})\s+{gap}\b(?P<x>{x})\b", f), "open"),
        # the object inside the phrase: "we cannot rule it out"
        (
            re.compile(
                rf"\b(?P<cue>(?:can|could|would|will|did|does|do)\s*{NEG}\s+(?:rule|ruling|exclude)\s+)"
                rf"(?P<x>it|this|that|{x})(?:\s+out\b)?",
                f,
            ),
            "open",
        ),
        (re.compile(rf"\b(?P<x>{xs})\b{gap}\s(?P<cue>{OPEN_AFTER})\b", f), "open"),
        (
            re.compile(
                rf"(?:^|[\"'(\s])(?P<cue>no|yes)\s+(?:more\s+)?(?:to\s+)?(?:\w+\s+){{0,2}}?(?P<x>{x_named})\b",
                f,
            ),
            "yesno",
        ),
        (
            re.compile(
                r"\bthere\s+(?:will|would|must|should)\s+be\s+(?P<cue>no)\s+(?:new\s+)?" + rf"(?P<x>{x})\b", f
            ),
            "oppose",
        ),
        cue_then_x(OPPOSE_NOUN, "oppose"),
        cue_then_x(SUPPORT_NOUN, "support"),
        cue_then_x(OPPOSE_VERB, "oppose"),
        cue_then_x(COUNTER_VERB, "counter"),
        cue_then_x(SUPPORT_VERB, "support"),
        (
            re.compile(
                rf"\b(?P<x>{xs})\b{gap}\s(?:would|will|could|might|may|can|is\s+going\s+to|threatens\s+to|"
                rf"risks?|already)?\s*{_VERB_HERE}(?P<cue>{BAD_CONSEQUENCE})\w*\s+{_NOT_PREP}"
                rf"(?P<obj>(?:the\s+|our\s+|its\s+|their\s+)?\w+)",
                f,
            ),
            "bad_consequence",
        ),
        (
            re.compile(
                rf"\b(?P<x>{xs})\b{gap}\s(?:would|will|could|might|may|can|is\s+going\s+to)\s+"
                rf"(?P<cue>{GOOD_CONSEQUENCE})\w*\s+{_NOT_PREP}(?P<obj>(?:the\s+|our\s+|its\s+|their\s+)?\w+)",
                f,
            ),
            "good_consequence",
        ),
        x_is(DISMISS_EVAL, "dismiss"),
        x_is(
            BAD_EVAL,
            "bad_eval",
            "|increasingly|as|more|even|particularly|especially|extremely|deeply|highly",
        ),
        x_is(GOOD_EVAL, "good_eval"),
        (
            re.compile(
                rf"\b(?P<x>{xs})\b[^.;:!?]{{0,30}}?\s(?P<cue>(?:should|must|ought\s+to|needs?\s+to|has\s+to|have\s+to)"
                rf"(?P<neg>\s*{NEG})?\s+(?:be\s+|go\s+)?(?:\w+\b)?)",
                f,
            ),
            "modal",
        ),
    ]
    dets = "a|an|the|this|that|new|more|some|real|proper|such"
    few_det = rf"(?:(?:{dets})\s+){{0,3}}"
    pats += [cue_then_x(LOVE, "good_eval", few_det), cue_then_x(HATE, "bad_eval", few_det)]
    if p.kind != "problem":  # keeping a problem ("protect X") is rare and reads no way for sure
        object_words = rf"(?:{_NOT_PREP}\w+\s+){{0,3}}?"
        pats.append(cue_then_x(KEEP_VERB, "keep", rf"(?:{gap}\s)?"))
        pats.append(cue_then_x(ADOPT, "adopt", object_words))
        pats.append(cue_then_x(IMPERATIVE, "adopt", object_words))
        pats.append(cue_then_x(NEED, "support", rf"(?:(?:{dets}|every|all|any)\s+){{0,3}}"))
    if p.kind == "problem":
        few = r"(?:\w[\w.,'-]*\s+){0,3}?"  # "the dangers of unchecked X", "to 1.2 million deaths"
        pats += [
            cue_then_x(HARM_OF, "x_bad", few),
            cue_then_x(BLAMED_ON, "x_bad", few),
            cue_then_x(GROWTH_OF, "x_bad", few),
            cue_then_x(CONCERN_OF, "concern", few),
            cue_then_x(DOUBT_OF, "x_fine", few),
            x_then_cue(GROWING, "increasingly", "x_bad"),
            x_then_cue(RECEDING, "largely|relatively", "x_fine"),
            (re.compile(rf"\b(?P<x>{x})[-‐](?P<cue>driven|induced|related|fuell?ed)\b", f), "x_bad"),
            # "X was linked to 1.2 million deaths", "X raises the risk of stroke"
            (
                re.compile(
                    rf"\b(?P<x>{xs})\b[^.;:!?]{{0,30}}?\s(?P<cue>{CAUSES})\s+{few}{HARM_OBJ}\b",
                    f,
                ),
                "x_bad",
            ),
            # "urged governments to treat X as a security threat", "described X as an epidemic"
            (
                re.compile(
                    rf"\b(?P<cue>{TREAT_AS})\s+{few}(?P<x>{x})\b[^.;:!?]{{0,20}}?\s+as\s+{few}"
                    rf"(?:{HARM_OBJ}|threat|danger|risk|problem|emergency|priority|epidemic|scourge)\b",
                    f,
                ),
                "x_bad",
            ),
        ]
    return pats


_RELATIVE = re.compile(
    r"\b(?P<cue>distanc(?:e|es|ed|ing)\s+(?:\w+\s+)?from|contradict(?:s|ed|ing)?|rebuff(?:s|ed|ing)?|"
    r"reject(?:s|ed|ing)?|disagree[sd]?\s+with|(?:agree[sd]?|sided|side[sd]?|concur(?:s|red)?)\s+with|"
    r"echo(?:es|ed|ing)?|back(?:s|ed|ing)?|endorse[sd]?|support(?:s|ed|ing)?)\s+(?:the\s+)?"
    r"(?P<who>(?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w-]*)(?:'s?|’s?)\s*"
    r"(?P<what>statement|statements|remarks?|comments?|words|position|stance|view|views|line|call|claim|"
    r"assertion|proposal|plan)?",
)
_SAME = re.compile(r"^(?:agree|side|sided|concur|echo|back|endorse|support)", re.I)


def _relative(text: str) -> _Hit | None:
    m = _RELATIVE.search(text)
    if not m:
        return None
    cue = m.group("cue")
    who = m.group("who").strip()
    if not m.group("what") and not re.match(
        r"^(?:distanc|disagree|agree|side|concur|contradict|rebuff)", cue, re.I
    ):
        return None  # "backed Smith" alone is not a position on a statement
    if who.split()[0].lower() in ("the", "a", "an", "this", "that"):
        return None
    relation: Literal["opposite", "same"] = "same" if _SAME.match(cue) else "opposite"
    if _negated_before(text, m.start()):
        relation = "same" if relation == "opposite" else "opposite"
    return _Hit("neutral", m.start(), m.end(), 0.8, relative_to=who, relation=relation)


def is_relative(text: str) -> bool:
    """Whether ``text`` takes a position relative to someone else's ("distanced themselves from Z's ...")."""
    return _relative(_norm(text)) is not None


def rule_stance(text: str, prop: Proposition, subject_spans: Sequence[tuple[int, int]] = ()) -> _Hit | None:
    """The strongest rule that fires on ``text`` for ``prop``, or None; ``subject_spans``: where
    ``text`` names the subject in other words than the proposition's."""
    t = _mark(_norm(text), subject_spans)
    hits: list[_Hit] = []
    for pat, what in _patterns(prop):
        for m in pat.finditer(t):
            s, e = m.span()
            if not _clause_ok(
                t,
                m.start("cue") if m.start("cue") < m.start("x") else m.end("x"),
                max(m.start("cue"), m.start("x")),
            ):
                continue
            if m.group("x").lower() == "that" and _relative_that(t, m.start("x")):
                continue
            cue = m.group("cue").lower()
            after_cue = m.start("cue") < m.start("x")
            neg = _negated_before(t, m.start("cue"))
            label: StanceLabel
            strength = 0.9
            if what == "open":
                label = "open"
            elif what == "yesno":
                if m.start("cue") > 0 and t[m.start("cue") - 1].isalnum():
                    continue
                # "No to X" / "No X" is a slogan against X; "yes to X" for it
                label = _flip(
                    "oppose" if cue == "no" else "support", prop.sign if prop.kind != "problem" else 1
                )
                if prop.kind == "problem":
                    label = "oppose" if cue == "no" else "support"
            elif what == "counter":
                if prop.kind != "problem" and re.match(
                    r"(?:address|act|take|took|mitigat|confront|counter)", cue
                ):
                    continue  # "will address the tax" takes no side on a policy
                # acting against X: for a problem it says X matters; otherwise it is opposing X
                base = "support" if prop.kind == "problem" else _flip("oppose", prop.sign)
                label = ("oppose" if base == "support" else "support") if neg else base
                strength = 0.8
            elif what == "keep":
                label = _flip("oppose" if neg else "support", prop.sign)
                strength = 0.8
            elif what in ("support", "oppose"):
                base: StanceLabel = what  # type: ignore[assignment]
                if neg:
                    # "does not support X" opposes it; "is not opposed to X" keeps it open
                    base = "oppose" if base == "support" else "open"
                # backing or rejecting a claim that X is a problem reads directly
                label = base if prop.kind == "problem" else _flip(base, prop.sign)
                if cue.startswith(("distanc",)):
                    strength = 0.85
            elif what in ("bad_consequence", "good_consequence"):
                bad = what == "bad_consequence"
                obj = m.group("obj").lower()
                if re.fullmatch(UNDESIRED, re.sub(r"^(?:the|our|its|their)\s+", "", obj), re.I):
                    bad = not bad  # hindering smuggling is good
                if neg:
                    bad = not bad
                label = _x_is(bad, prop)
                strength = 0.8
            elif what == "bad_eval":
                label = _x_is(not neg, prop)
                strength = 0.8
            elif what == "good_eval":
                label = _x_is(neg, prop)
                strength = 0.8
            elif what == "dismiss":
                label = "oppose" if prop.kind == "problem" else _flip("support" if not neg else "oppose", -1)
                if prop.kind != "problem":
                    continue  # dismissing a policy as a myth says little
                if neg:
                    label = "support"
                strength = 0.85
            elif what == "adopt":
                # "must introduce X" / "must not introduce X"
                # (an imperative has no negation group of its own)
                label = _flip("oppose" if m.groupdict().get("neg") or neg else "support", prop.sign)
                strength = 0.8
            elif what == "modal":
                if _WHETHER_BEFORE.search(t, max(0, m.start("x") - 40), m.start("x")):
                    continue  # "not sure whether the limit should change"
                # "X should be introduced" / "X must not go ahead"; "X should not be scrapped"
                # refuses the undoing, so wants X: the negation and an undoing verb cancel
                # "the tax must go" (not "go ahead") undoes it too
                undoing = bool(_UNWANT.search(cue) or _GO_ALONE.search(cue))
                if prop.action is not None and not undoing:
                    said = _PREDICATE.match(t, m.start("cue"))
                    if said is None or not _same_predicate(said.group("verb"), prop.action):
                        continue  # "X should be welcomed" says nothing on "X should be deported"
                if bool(m.group("neg") or neg) != undoing:
                    label = _flip("oppose", prop.sign)
                else:
                    label = _flip("support", prop.sign)
                if prop.kind == "problem":
                    continue
                strength = 0.7
            elif what in ("x_bad", "x_fine", "concern"):
                # reporting X's harm, causes, growth (or its decline, doubts about it)
                bad = (what != "x_fine") != neg
                label = "support" if bad else "oppose"
                strength = 0.75
                if what == "concern":
                    # "fears about X" may be judged next ("... were overblown"): that wins
                    hits.append(_Hit(label, s, e, 0.7, governs=False))
                    continue
            else:  # pragma: no cover - every pattern kind is handled above
                continue
            if what == "support" and re.match(NEED, cue) and _GONE_AFTER_X.match(t, m.end("x")):
                label = _flip(label, -1)  # "I want every nuclear weapon gone"
            undo = _UNDOING_BEFORE.search(t, max(0, m.start("x") - 40), m.start("x"))
            if undo and what in ("bad_eval", "good_eval", "bad_consequence", "good_consequence"):
                # "banning it would be a mistake": the verdict is on the undoing, which it now holds
                label = _flip(label, -1)
                s, strength = undo.start(), 0.85  # over the undoing verb's own reading
            if after_cue and _CUT_OF_X.match(t, m.end("x")):
                label = _flip(label, -1)  # "defended the tax cuts"
            reach = max(m.start("cue"), m.start("x")) - min(m.end("cue"), m.end("x"))
            pol = _POLARITY.get(what, 0) * (-1 if neg else 1)
            proposed = (
                after_cue
                and what in ("counter", "adopt", "support", "oppose", "keep")
                and bool(_PROPOSAL_BEFORE.search(t, max(0, m.start("cue") - 20), m.start("cue")))
            )
            hits.append(_Hit(label, s, e, strength, reach=reach, polarity=pol, proposed=proposed))
    rel = _relative(t)
    if rel is not None and not any(h.strength >= 0.85 and h.label != "neutral" for h in hits):
        # "distanced themselves from Z's statement on X": the position is Z's, turned round
        hits.append(rel)
    # a stated indecision outweighs what its words seem to say ("I go back and forth on X");
    # an open question says no side when nothing else does; either way the model need not guess
    found = _UNDECIDED.search(t) or (None if hits else _INFO_QUESTION.match(t))
    if found:
        return _Hit("neutral", found.start(), found.end(), 0.6, governs=False)
    if not hits:
        return None

    # the outer predicate governs what it contains: "distanced itself from the call for X" opposes
    # X; but not a predicate joined to it: "favors Y and opposes X". A verb governing a verb
    # composes: "called for banning X" is for a ban, "opposed efforts to repeal X" against repeal.
    def governed(h: _Hit, o: _Hit) -> bool:
        return (
            o.start < h.start < o.end
            and o.label != "neutral"
            and o.governs
            # "favors Y and opposes X": two predicates; "lambasted A and B for their resistance to X": one
            and not re.search(r"\b(?:and|or)\s+(?:\w+\s+)?$", t[o.start : h.start])
        )

    done: list[_Hit] = []
    for o in sorted(hits, key=lambda h: -h.start):  # innermost first, so chains compose
        inner = [h for h in done if o.polarity and h.polarity and governed(h, o)]
        done.append(_composed(o, min(inner, key=lambda h: h.start)) if inner else o)
    # what someone proposed, with no verb of the speaker's around it, is no side of the speaker's
    hits = [h for h in done if not any(governed(h, o) for o in done) and not h.proposed]
    if not hits:
        return None
    # open wins over a verb it contains ("did not rule out X" is also "rule out X"), then the
    # strongest, then the one nearest its subject ("favors Y and opposes X"), then the first
    hits.sort(key=lambda h: (h.label != "open" or h.relative_to is not None, -h.strength, h.reach, h.start))
    return hits[0]


def _composed(outer: _Hit, inner: _Hit) -> _Hit:
    """The outer verb's hit read through the inner one's: for it keeps, against it turns round."""
    if inner.label not in ("support", "oppose"):
        return outer
    turned: StanceLabel = "oppose" if inner.label == "support" else "support"
    return replace(outer, label=inner.label if outer.polarity > 0 else turned)


def _x_is(bad: bool, prop: Proposition) -> StanceLabel:
    """The stance of saying X is bad (or good) toward ``prop``."""
    if prop.kind == "problem":
        return "support" if bad else "oppose"
    if prop.kind == "unwant":
        return "support" if bad else "oppose"
    return "oppose" if bad else "support"


# --- the learned model ----------------------------------------------------------------------------------


class ModelMissing(RuntimeError):
    """The stance model files are not installed."""


class StanceModel:
    """The cross-encoder: ``[CLS] proposition [SEP] text [SEP]`` → support / oppose / neutral."""

    def __init__(self, path: Path | str = MODEL_DIR, threads: int | None = None) -> None:
        from tokenizers import Tokenizer

        path = Path(path)
        if not (path / "stance.onnx").exists():
            raise ModelMissing(f"no stance model at {path} (expected stance.onnx)")
        self.config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        self.labels: list[StanceLabel] = list(self.config["labels"])
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(int(self.config["max_pieces"]), strategy="only_second")
        self.session = cpu_session(path / "stance.onnx", threads)

    def probs(self, proposition: str, texts: list[str], batch: int = 1) -> np.ndarray:
        """Probabilities over :attr:`labels` for each text.

        One text per run by default: the int8 graph quantizes its activations with one scale per
        run, so in a batch a text's probabilities depend on the texts and padding beside it (by up
        to 0.4 on the project's sentences). One at a time is as fast on CPU (2.05 s for 485
        sentences against 2.48 s in batches of 32)."""
        out = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for k in range(0, len(order), batch):
            idx = order[k : k + batch]
            encs = self.tokenizer.encode_batch([(proposition, texts[i]) for i in idx])
            n = max(len(e.ids) for e in encs)
            ids = np.zeros((len(idx), n), dtype=np.int64)
            types = np.zeros_like(ids)
            mask = np.zeros_like(ids)
            for j, e in enumerate(encs):
                ids[j, : len(e.ids)] = e.ids
                types[j, : len(e.ids)] = e.type_ids
                mask[j, : len(e.ids)] = 1
            (logits,) = self.session.run(
                ["logits"], {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            )
            z = logits - logits.max(-1, keepdims=True)
            p = np.exp(z)
            out[idx] = p / p.sum(-1, keepdims=True)
        return out


@lru_cache(maxsize=2)
def load_model(path: str | None = None) -> StanceModel | None:
    """The shipped model (loaded once), or None when it is missing or switched off."""
    if os.environ.get(NO_MODEL_ENV) == "1":
        return None
    try:
        return StanceModel(path or MODEL_DIR)
    except ModelMissing:
        return None


@lru_cache(maxsize=2)
def model_version(path: str | None = None) -> str | None:
    """``stance-`` and the first 12 hex digits of the shipped model's sha256 (None without a model)."""
    f = Path(path or MODEL_DIR) / "stance.onnx"
    if not f.exists():
        return None
    return "stance-" + hashlib.sha256(f.read_bytes()).hexdigest()[:12]


# --- the classifier --------------------------------------------------------------------------------------


def _trim(text: str) -> Span | None:
    s = len(text) - len(text.lstrip())
    e = len(text.rstrip())
    return Span.of(text, s, e) if e > s else None


def _trim_span(text: str, start: int, end: int) -> Span | None:
    inner = _trim(text[start:end])
    return Span(start + inner.start, start + inner.end, inner.text) if inner else None


@lru_cache(maxsize=1)
def _finder() -> SubjectFinder | None:
    from saywho.positions import embed
    from saywho.positions.synonyms import SubjectFinder

    return SubjectFinder(embed.load(), embed.word_vectors()) if embed.available() else None


def _synonym_spans(texts: list[str], prop: Proposition) -> list[Sequence[tuple[int, int]]]:
    """Where each text names the proposition's subject in other words (none without embeddings)."""
    finder = _finder()
    if finder is None or not prop.terms or not texts:
        return [()] * len(texts)
    words = {w for t in prop.terms for w in t.split()}
    return finder.spans(texts, max(prop.terms, key=len), tuple(words))


def classify_many(
    texts: list[str],
    proposition_text: str,
    keywords: tuple[str, ...] = (),
    use_model: bool = True,
    model_dir: str | None = None,
    min_confidence: float = MIN_CONFIDENCE,
    synonyms: bool = True,
) -> list[Stance]:
    """:func:`classify` for many texts at once (embeddings and rules per text, then the model on what
    the rules leave, one text per call); ``model_dir``: another
    stance model than the shipped one (benchmarks compare models with it); the model's support
    or oppose below ``min_confidence`` becomes ``neutral`` (confidence: the rest of its mass)."""
    prop = proposition(proposition_text, tuple(keywords))
    spans = _synonym_spans(texts, prop) if synonyms else [()] * len(texts)
    out: list[Stance | None] = []
    pending: list[int] = []
    for i, text in enumerate(texts):
        hit = rule_stance(text, prop, spans[i])
        if hit is not None:
            ev = _trim_span(text, hit.start, hit.end)
            out.append(Stance(hit.label, hit.strength, ev, "rule", hit.relative_to, hit.relation))
        else:
            out.append(None)
            pending.append(i)
    model = load_model(model_dir) if use_model and pending else None
    if model is not None:
        probs = model.probs(prop.text, [texts[i] for i in pending])
        for i, p in zip(pending, probs, strict=True):
            k = int(p.argmax())
            label = model.labels[k]
            if label != "neutral" and p[k] < min_confidence:
                out[i] = Stance("neutral", 1.0 - float(p[k]), None, "model")
                continue
            ev = _trim(texts[i]) if label != "neutral" else None
            out[i] = Stance(label, float(p[k]), ev, "model")
    return [s if s is not None else Stance("neutral", 0.5, None, "none") for s in out]


def classify(
    text: str, proposition_text: str, keywords: tuple[str, ...] = (), use_model: bool = True
) -> Stance:
    """The stance of ``text`` toward the proposition, with the evidence span (offsets into ``text``)."""
    return classify_many([text], proposition_text, keywords, use_model)[0]
