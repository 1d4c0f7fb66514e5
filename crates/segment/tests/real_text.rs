//! Real text: the two seed articles and a hard-wrapped Reuters-21578 body
//! (the first BODY of reut2-000.sgm, the Bahia cocoa story, with the `&#3;`
//! end marker removed). Copies live in `tests/data/` so the tests are
//! hermetic.

use unspun_segment::{check_cover, split_sentences, Analyzer, SentenceKind, SentenceKind::*};

/// Strips the seed header: a first line starting `date YYYY-MM-DD`, optionally
/// followed by `[Source: …]`; the article text starts after it (in seed 000 on
/// the same line).
fn strip_header(text: &str) -> &str {
    let t = text.trim_start();
    let t = t.strip_prefix("date ").expect("date header");
    let t = &t[10..]; // YYYY-MM-DD
    let t = t.trim_start_matches(' ');
    let t = match t.strip_prefix("[Source:") {
        Some(rest) => &rest[rest.find(']').expect("]") + 1..],
        None => t,
    };
    t.trim_start()
}

fn check(text: &str, expected: &[(usize, SentenceKind, &str)]) {
    let sentences = split_sentences(text);
    check_cover(text, &sentences).unwrap();
    let got: Vec<(usize, SentenceKind, &str)> = sentences
        .iter()
        .map(|s| (s.paragraph, s.kind, s.span.text(text)))
        .collect();
    for (k, (g, e)) in got.iter().zip(expected).enumerate() {
        assert_eq!(g, e, "sentence {k}");
    }
    assert_eq!(got.len(), expected.len(), "{got:#?}");
    // Tokens of every sentence keep their invariant too.
    let analyzer = Analyzer::new();
    for s in &sentences {
        let tokens = analyzer.tokens(text, s.span);
        unspun_segment::check_tokens(text, s.span, &tokens).unwrap();
        for t in &tokens {
            assert!(!text[t.span].is_empty());
        }
    }
}

#[test]
fn seed_003_has_15_sentences() {
    let text = strip_header(include_str!("data/seed_003.txt"));
    assert!(text.starts_with("U.S. President Donald Trump"));
    assert_eq!(SEED_003.len(), 15);
    check(text, SEED_003);
}

#[test]
fn seed_000() {
    let text = strip_header(include_str!("data/seed_000.txt"));
    assert!(text.starts_with("US President Donald Trump"));
    check(text, SEED_000);
    let s = split_sentences(text);
    let find = |t: &str| s.iter().find(|s| s.span.text(text) == t).map(|s| s.kind);
    assert_eq!(find("Newcomer to diplomacy"), Some(Heading));
    assert_eq!(find("“Stop the bloodshed, NOW.”"), Some(Prose));
}

#[test]
fn reuters_hard_wrapped_body() {
    let text = include_str!("data/reuters_cocoa.txt");
    check(text, REUTERS_COCOA);
    // Line wraps are not boundaries: every sentence but the sign-off ends in a full stop.
    for s in split_sentences(text) {
        let t = s.span.text(text);
        assert!(t.ends_with('.') || t == "Reuter", "{t:?}");
    }
}

const SEED_000: &[(usize, SentenceKind, &str)] = &[
    (0, Prose, "US President Donald Trump’s envoy, Steve Witkoff, had a three-hour meeting with Russian President Vladimir Putin yesterday in Russia to discuss the US plan to conclude the war in Ukraine."),
    (0, Prose, "Mr. Trump indicated that both parties were “very close to a deal,” despite clear differences in their perspectives."),
    (1, Prose, "After the conclusion of Mr. Witkoff’s meeting, Mr. Trump stated in a social media post that the discussions were productive and called for a high-level gathering between Ukraine and Russia to finalize an agreement."),
    (2, Prose, "“Most of the major points are agreed upon,” Mr. Trump mentioned in his post after arriving in Rome for Pope Francis’s funeral today."),
    (2, Prose, "“Stop the bloodshed, NOW.”"),
    (3, Prose, "Ukrainian President Volodymyr Zelensky was anticipated to attend the funeral, although he expressed uncertainty about his attendance yesterday."),
    (4, Prose, "Kremlin foreign policy aide Yuri Ushakov, who participated in the meeting and later briefed reporters, characterized it as constructive and notably beneficial."),
    (5, Prose, "“This discussion enabled Russia and the United States to align their positions more closely, not just on Ukraine but on several other international matters,” he stated to the press."),
    (6, Prose, "“Regarding the Ukrainian crisis, the dialogue mainly centered on resuming direct negotiations between representatives of the Russian Federation and Ukraine.”"),
    (7, Prose, "No immediate comments were available from Mr. Witkoff."),
    (8, Prose, "A billionaire real estate mogul, Mr. Witkoff has become the key US intermediary with Mr. Putin as Mr. Trump seeks a resolution to the conflict."),
    (9, Prose, "This latest trip follows discussions earlier this week where Ukrainian and European officials challenged some US proposals concerning the resolution of the deadliest conflict in Europe since World War Two."),
    (10, Heading, "US Special Envoy Steve Witkoff meets with Russian President Vladimir Putin during the negotiations in Moscow [credit: Kremlin Press Office / Handout]"),
    (11, Prose, "Mr. Witkoff’s meeting occurred mere hours after a car bomb killed a prominent Russian military officer near Moscow, an act the Kremlin attributed to Ukraine."),
    (12, Prose, "On Thursday, Mr. Trump condemned a Russian missile and drone attack on Ukraine that resulted in at least 12 deaths, posting a message to Mr. Putin on social media that read: “Vladimir, STOP!”"),
    (13, Prose, "Mr. Trump has cautioned both sides that the US will discontinue its efforts unless substantial progress is made."),
    (14, Heading, "Newcomer to diplomacy"),
    (15, Prose, "Mr. Witkoff lacked prior diplomatic experience before joining Mr. Trump’s team in January, and critics have suggested he is ill-equipped for a direct negotiation with Mr. Putin, who has been Russia’s dominant leader for the past 25 years."),
    (16, Prose, "Footage from the start of yesterday’s meeting showed the American, accompanied solely by a translator, seated across from Mr. Putin, Kremlin aide Ushakov, and Russian investment envoy Kirill Dmitriev, who also had an interpreter present."),
    (17, Prose, "Critics have occasionally accused Mr. Witkoff of mirroring the Kremlin’s narrative."),
    (17, Prose, "In a recent interview with journalist Tucker Carlson, he claimed there was no rationale for Russia’s desire to absorb Ukraine or annex more territory, labeling it “preposterous” to think that Mr. Putin would wish to march his army across Europe."),
    (18, Prose, "Rescuers take a break at the site of a destroyed residential building in Ukraine."),
    (19, Prose, "Ukraine and many of its European allies assert the contrary."),
    (19, Prose, "Mr. Putin denies any intentions regarding NATO territory, and Russia has frequently dismissed such allegations as manifestations of European hostility and “Russophobia.”"),
    (20, Prose, "According to texts reviewed by Reuters, the peace proposal presented by Mr. Witkoff includes formal US recognition of Russia’s control over Crimea— the Ukrainian peninsula that Russia annexed in 2014— as well as de facto recognition of Russia’s hold on areas in southern and eastern Ukraine under its military control."),
    (21, Prose, "A document from European and Ukrainian sources postpones detailed discussions on territory until after a ceasefire is established, not mentioning the recognition of Russian control over any Ukrainian territory."),
    (22, Prose, "There are also discrepancies regarding the lifting of sanctions on Russia, the structure of security guarantees for Ukraine, and the future size of the Ukrainian military."),
    (23, Prose, "This week, Mr. Zelensky stated that recognizing Crimea as part of Russia would violate Ukraine’s constitution."),
    (24, Prose, "In an interview published yesterday with Time magazine, Mr. Trump remarked: “Crimea will stay with Russia. And Zelensky understands that; everyone recognizes it has been with them for a long time.”"),
];

const SEED_003: &[(usize, SentenceKind, &str)] = &[
    (0, Prose, "U.S. President Donald Trump’s envoy Steve Witkoff met Russian President Vladimir Putin for three hours in Moscow on Friday to discuss the U.S. plan to end the war in Ukraine, and Trump said the two sides were “very close to a deal,” despite apparent differences in their positions."),
    (1, Prose, "Trump said in a social media post after Witkoff’s meeting concluded that it was a good day of talks and called for a high-level meeting between Kyiv and Moscow to close a deal."),
    (2, Prose, "“Most of the major points are agreed to,” Trump said in the post after landing in Rome for the funeral of Pope Francis on Saturday."),
    (2, Prose, "“Stop the bloodshed, NOW.”"),
    (3, Prose, "Ukrainian President Volodymyr Zelenskiy was also expected to attend the funeral, although he said on Friday he was not certain he could make it."),
    (4, Prose, "Russia and Ukraine have not held direct talks since the early weeks of the war, which started with Russia’s full-scale invasion of Ukraine in February 2022."),
    (5, Prose, "Kremlin foreign policy aide Yuri Ushakov, who took part in Friday’s meeting and briefed reporters on the details, earlier described it as constructive and very useful."),
    (6, Prose, "“This conversation allowed Russia and the United States to further bring their positions closer together, not only on Ukraine but also on a number of other international issues,” he told reporters."),
    (7, Prose, "“As for the Ukrainian crisis itself, the discussion focused in particular on the possibility of resuming direct negotiations between representatives of the Russian Federation and Ukraine.”"),
    (8, Prose, "There was no immediate comment from Witkoff."),
    (9, Prose, "A real estate billionaire, Witkoff has emerged as Washington’s key interlocutor with Putin as Trump pushes for a deal to end the war."),
    (10, Prose, "His latest trip follows talks this week at which Ukrainian and European officials pushed back against some of the U.S. proposals for how to settle the conflict, the deadliest in Europe since World War Two."),
    (11, Prose, "Witkoff’s meeting took place just hours after a car bomb killed a senior Russian military officer near Moscow, which the Kremlin blamed on Kyiv."),
    (12, Prose, "On Thursday, Trump criticised a Russian missile and drone attack on Kyiv that killed at least 12 people, and posted a message to Putin on social media that read: “Vladimir, STOP!”"),
    (13, Prose, "Trump has warned both sides that the U.S. will abandon its effort unless there is genuine progress."),
];

const REUTERS_COCOA: &[(usize, SentenceKind, &str)] = &[
    (0, Prose, "Showers continued throughout the week in\nthe Bahia cocoa zone, alleviating the drought since early\nJanuary and improving prospects for the coming temporao,\nalthough normal humidity levels have not been restored,\nComissaria Smith said in its weekly review."),
    (1, Prose, "The dry period means the temporao will be late this year."),
    (2, Prose, "Arrivals for the week ended February 22 were 155,221 bags\nof 60 kilos making a cumulative total for the season of 5.93\nmln against 5.81 at the same stage last year."),
    (2, Prose, "Again it seems\nthat cocoa delivered earlier on consignment was included in the\narrivals figures."),
    (3, Prose, "Comissaria Smith said there is still some doubt as to how\nmuch old crop cocoa is still available as harvesting has\npractically come to an end."),
    (3, Prose, "With total Bahia crop estimates\naround 6.4 mln bags and sales standing at almost 6.2 mln there\nare a few hundred thousand bags still in the hands of farmers,\nmiddlemen, exporters and processors."),
    (4, Prose, "There are doubts as to how much of this cocoa would be fit\nfor export as shippers are now experiencing dificulties in\nobtaining +Bahia superior+ certificates."),
    (5, Prose, "In view of the lower quality over recent weeks farmers have\nsold a good part of their cocoa held on consignment."),
    (6, Prose, "Comissaria Smith said spot bean prices rose to 340 to 350\ncruzados per arroba of 15 kilos."),
    (7, Prose, "Bean shippers were reluctant to offer nearby shipment and\nonly limited sales were booked for March shipment at 1,750 to\n1,780 dlrs per tonne to ports to be named."),
    (8, Prose, "New crop sales were also light and all to open ports with\nJune/July going at 1,850 and 1,880 dlrs and at 35 and 45 dlrs\nunder New York july, Aug/Sept at 1,870, 1,875 and 1,880 dlrs\nper tonne FOB."),
    (9, Prose, "Routine sales of butter were made."),
    (9, Prose, "March/April sold at\n4,340, 4,345 and 4,350 dlrs."),
    (10, Prose, "April/May butter went at 2.27 times New York May, June/July\nat 4,400 and 4,415 dlrs, Aug/Sept at 4,351 to 4,450 dlrs and at\n2.27 and 2.28 times New York Sept and Oct/Dec at 4,480 dlrs and\n2.27 times New York Dec, Comissaria Smith said."),
    (11, Prose, "Destinations were the U.S., Covertible currency areas,\nUruguay and open ports."),
    (12, Prose, "Cake sales were registered at 785 to 995 dlrs for\nMarch/April, 785 dlrs for May, 753 dlrs for Aug and 0.39 times\nNew York Dec for Oct/Dec."),
    (13, Prose, "Buyers were the U.S., Argentina, Uruguay and convertible\ncurrency areas."),
    (14, Prose, "Liquor sales were limited with March/April selling at 2,325\nand 2,380 dlrs, June/July at 2,375 dlrs and at 1.25 times New\nYork July, Aug/Sept at 2,400 dlrs and at 1.25 times New York\nSept and Oct/Dec at 1.25 times New York Dec, Comissaria Smith\nsaid."),
    (15, Prose, "Total Bahia sales are currently estimated at 6.13 mln bags\nagainst the 1986/87 crop and 1.06 mln bags against the 1987/88\ncrop."),
    (16, Prose, "Final figures for the period to February 28 are expected to\nbe published by the Brazilian Cocoa Trade Commission after\ncarnival which ends midday on February 27."),
    (17, Heading, "Reuter"),
];
