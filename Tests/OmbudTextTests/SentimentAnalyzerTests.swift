import Foundation
import Testing
@testable import OmbudText

@Test func bundledSentimentModelLoads() throws {
    let s = try SentimentAnalyzer.bundled()
    #expect(Set(s.model.labels) == Set(SentimentAnalyzer.groupLabels))
    #expect(s.model.metadata.notes["multiLabelThreshold"] != nil)
}

@Test func sentimentPolarityAndScore() throws {
    let s = try SentimentAnalyzer.bundled()
    let angry = s.analyze("This is ridiculous, I am furious and disgusted with your terrible service.")
    #expect(angry.polarity == .negative)
    #expect(angry.score < 0)
    let happy = s.analyze("Thank you so much, that was great help, I love it!")
    #expect(happy.polarity == .positive)
    #expect(happy.score > 0)
    #expect(abs(happy.negative + happy.neutral + happy.positive - 1) < 1e-9)
    #expect(!s.groups("Thanks, awesome!").isEmpty)
}

@Test func sentimentGroupMapping() {
    #expect(SentimentAnalyzer.polarity(ofGroup: "ambiguous") == .neutral)
    #expect(SentimentAnalyzer.polarity(ofGroup: "negative") == .negative)
    #expect(SentimentAnalyzer.polarity(ofGroup: "other") == nil)
}
