import OmbudCore
import OmbudText

/// The bundled help centre (OmbudText's `HelpCenter`) as the resolve stage's article search. The policy decides
/// what counts as a good match (`help_article_min_score`, in the help centre's 0…1 cosine units).
struct BundledHelpCenter: HelpArticleSearch {
    let center: HelpCenter

    init() throws {
        center = try HelpCenter.bundled()
    }

    func bestArticle(for text: String, language: String?) -> HelpArticleMatch? {
        center.bestMatch(text, language: language).map { HelpArticleMatch(id: $0.id, score: $0.score) }
    }
}
