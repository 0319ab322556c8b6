//! A small research corpus for `show` and `cite`, written for these tests: a news report, an
//! analysis whose metadata needs escaping in every citation format, and one made-up
//! regulation ("2030/1") in German and English with recitals and three articles.

use super::TestEnv;

pub const NEWS_PATH: &str = "news/gipfel-paris.md";
pub const NEWS_ID: &str = "news/gipfel-paris";
pub const NEWS: &str = "---
title: Gipfel in Paris: Was von der Erklärung bleibt
author: Maxime Lefebvre; Jana Novak
date: 2025-02-26
url: https://tagesblatt.example/gipfel-paris?teil=1&seite=2
site: Tagesblatt Beispiel
type: news
lang: de
---
# Gipfel in Paris

Die Staats- und Regierungschefs trafen sich in Paris, um über die Zukunft der künstlichen Intelligenz zu beraten. Am Ende stand eine Erklärung, die viele Wünsche offenließ.

Die Abschlusserklärung fordert offene, inklusive und ethische Systeme, verzichtet aber auf jede verbindliche Zusage der beteiligten Staaten.

## Die Fragen der Aufsicht

Wer die großen Modelle beaufsichtigen soll, blieb umstritten: Manche Delegationen wollten eine internationale Behörde, andere lehnten jede neue Stelle ab.

Beobachter erwarten, dass der nächste Gipfel in Indien die offenen Fragen der Aufsicht wieder aufgreift und genauer beantwortet.

## Ausblick

Bis dahin gelten die nationalen Regeln weiter, und Unternehmen müssen sich auf eine Vielfalt von Vorgaben einstellen, die einander teilweise widersprechen.
";

pub const ANALYSIS_PATH: &str = "analysis/kosten.md";
pub const ANALYSIS_ID: &str = "analysis/kosten";
/// Metadata with every character BibTeX gives a meaning: `&`, `%`, `_`, `#`, `$`, `{`, `}`.
pub const ANALYSIS: &str = "---
title: Kosten & Nutzen: 50% mehr Rechenzeit für {Modelle} #2
author: Ana_Lopez Garcia
date: 2024-11
url: https://blog.example/kosten_nutzen?a=1&b=%20
site: Blog $Beispiel$
type: article
lang: de
---
# Kosten und Nutzen

Die Rechenzeit großer Modelle wächst schneller als ihr Nutzen; das zeigt ein Vergleich der Kosten über fünf Jahre hinweg mit \\ und ~ und ^ im Text.
";

pub const LAW_DE_PATH: &str = "law/pruefsysteme-de.md";
pub const LAW_DE_ID: &str = "law/pruefsysteme-de";
pub const LAW_DE: &str = "---
title: Verordnung (EU) 2030/1 über Prüfsysteme
date: 2030-03-01
type: law
lang: de
---
# Verordnung (EU) 2030/1 über Prüfsysteme

## Erwägungsgründe

(1) Prüfsysteme sollten sicher und nachvollziehbar sein, damit Bürger ihnen vertrauen.

(2) Die Mitgliedstaaten sollten bei der Aufsicht über Prüfsysteme eng zusammenarbeiten.

(3) Diese Verordnung sollte bald nach ihrer Veröffentlichung gelten.

## Kapitel I – Allgemeine Bestimmungen

## Artikel 1 – Gegenstand

(1) Diese Verordnung legt Regeln für das Inverkehrbringen von Prüfsystemen fest.

(2) Sie gilt für Anbieter und Betreiber von Prüfsystemen in der Union.

## Artikel 2 – Verbotene Praktiken

(1) Verboten ist das Inverkehrbringen von Prüfsystemen, die Prüfergebnisse heimlich verfälschen.

(2) Verboten ist ferner der Betrieb von Prüfsystemen ohne menschliche Aufsicht.

## Artikel 3 – Inkrafttreten

Diese Verordnung tritt am zwanzigsten Tag nach ihrer Veröffentlichung in Kraft.
";

pub const LAW_EN_PATH: &str = "law/testing-systems-en.md";
pub const LAW_EN_ID: &str = "law/testing-systems-en";
pub const LAW_EN: &str = "---
title: Regulation (EU) 2030/1 on testing systems
date: 2030-03-01
url: https://law.example/eli/reg/2030/1/oj
type: law
lang: en
---
# Regulation (EU) 2030/1 on testing systems

## Recitals

(1) Testing systems should be safe and traceable, so that citizens can trust them.

(2) Member States should cooperate closely in the supervision of testing systems.

(3) This Regulation should apply soon after its publication.

## Chapter I – General provisions

## Article 1 – Subject matter

(1) This Regulation lays down rules for placing testing systems on the market.

(2) It applies to providers and deployers of testing systems in the Union.

## Article 2 – Prohibited practices

(1) Placing on the market testing systems that secretly falsify test results shall be prohibited.

(2) Operating testing systems without human oversight shall also be prohibited.

## Article 3 – Entry into force

This Regulation shall enter into force on the twentieth day following its publication.
";

/// Writes the four documents into `env`'s corpus.
pub fn write(env: &TestEnv) {
    env.write(NEWS_PATH, NEWS);
    env.write(ANALYSIS_PATH, ANALYSIS);
    env.write(LAW_DE_PATH, LAW_DE);
    env.write(LAW_EN_PATH, LAW_EN);
}

/// Runs `polsearch index` on the research corpus of a new env.
pub fn indexed() -> TestEnv {
    let env = TestEnv::new();
    write(&env);
    env.run_ok(&["index", "--quiet"], 0);
    env
}
