package botdetection

// badBots stands in for the list of known bots Kong refuses by default
// (kong/plugins/bot-detection/rules.lua). Kong's list is not copied here:
// these are this project's own patterns for the same kinds of client —
// crawlers and spiders, link previewers, monitoring robots and the default
// User-Agents of HTTP client libraries (Go's among them, as in Kong) — so a
// client Kong refuses is refused here for the same reason, though not every
// user agent on Kong's list is. Each is searched anywhere in the
// User-Agent, case-sensitively, as Kong does.
var badBots = []string{
	// A product token ending in Bot, Spider or Crawler: Googlebot/2.1, bingbot/2.0, YandexBot/3.0.
	`\b[A-Za-z][A-Za-z0-9_\-]*(?:[Bb]ot|[Ss]pider|[Cc]rawler)(?:[ /;)]|$)`,
	// Link previewers and feed fetchers.
	`\b(?:facebookexternalhit|Slackbot-LinkExpanding|WhatsApp|Feedfetcher)\b`,
	// Archivers and scrapers.
	`\b(?:ia_archiver|archive\.org_bot|Scrapy|heritrix|Nutch)\b`,
	// HTTP client libraries' default User-Agents.
	`\b(?:Go-http-client|Python-urllib|python-requests|Apache-HttpClient|okhttp|axios|Java-http-client|libwww-perl)/\d`,
}
