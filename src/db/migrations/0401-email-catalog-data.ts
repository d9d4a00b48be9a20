/*
 * The temp email catalogue a fresh install gets (migration 0401): the reference's 93 server-1
 * service codes with their names as the reference writes them, each mapped to the domain the
 * service sends its mail from (email upstreams match the sender address by that site), and the
 * default prices and stock. Frozen with the migration: it imports nothing, so no change to live
 * code changes what a fresh install gets. Operators change the catalogue with `otpget email …`.
 */

/** A server-1 service: the reference's code and name, and the site its mail comes from. */
export interface CatalogService {
  code: string;
  name: string;
  site: string;
}

// emails/email-catalog.ts's ANY_SITE, as it was at this migration.
const ANY_SITE = 'any';
const DEFAULT_SERVER1_DOMAIN = 'gmail.com';

// The reference's table order. Sites are the sender domains (facebookmail.com, redditmail.com:
// the domain in the From address, which is what upstreams match on), not the brands' web sites.
const SERVICES: ReadonlyArray<readonly [code: string, name: string, site: string]> = [
  ['oi', 'Tinder', 'tinder.com'],
  ['ig', 'Instagram', 'instagram.com'],
  ['tg', 'Telegram', 'telegram.org'],
  ['fb', 'Facebook', 'facebookmail.com'],
  ['tw', 'Twitter', 'x.com'],
  ['vk', 'VK / Mail.ru', 'vk.com'],
  ['mm', 'Microsoft', 'microsoft.com'],
  ['am', 'Amazon', 'amazon.com'],
  ['wc', 'Craigslist', 'craigslist.org'],
  ['lf', 'TikTok', 'tiktok.com'],
  ['ka', 'Shopee', 'shopee.co.id'],
  ['ds', 'Discord', 'discord.com'],
  ['wb', 'WeChat', 'wechat.com'],
  ['bigl', 'Biglion', 'biglion.ru'],
  ['sn', 'OLX', 'olx.com.pk'],
  ['hb', 'Twitch', 'twitch.tv'],
  ['xd', 'Tokopedia', 'tokopedia.com'],
  ['ya', 'Yandex', 'yandex.ru'],
  ['wx', 'Apple', 'apple.com'],
  ['kc', 'Vinted', 'vinted.com'],
  ['fu', 'Snapchat', 'snapchat.com'],
  ['vz', 'Hinge', 'hinge.co'],
  ['dr', 'OpenAI / ChatGPT', 'openai.com'],
  ['do', 'Leboncoin', 'leboncoin.fr'],
  ['cn', 'Fiverr', 'fiverr.com'],
  ['yi', 'Yemeksepeti', 'yemeksepeti.com'],
  ['rr', 'Wolt', 'wolt.com'],
  ['xy', 'Depop', 'depop.com'],
  ['vd', 'Betfair', 'betfair.com'],
  ['us', 'IRCTC', 'irctc.co.in'],
  ['se', 'Feeld', 'feeld.co'],
  ['fk', 'BLIBLI', 'blibli.com'],
  ['cw', 'PaddyPower', 'paddypower.com'],
  ['bn', 'Alfagift', 'alfagift.id'],
  ['ee', 'Twilio', 'twilio.com'],
  ['pr', 'Trendyol', 'trendyol.com'],
  ['gx', 'Hepsiburada', 'hepsiburada.com'],
  ['lc', 'Subito', 'subito.it'],
  ['ebay_kl', 'Kleinanzeigen', 'kleinanzeigen.de'],
  ['ot', 'Any Other', ANY_SITE],
  ['wr', 'Walmart', 'walmart.com'],
  ['acz', 'Claude AI', 'anthropic.com'],
  ['abd', 'Beboo', 'beboo.ru'],
  ['ahb', 'Ubisoft', 'ubisoft.com'],
  ['amb', 'Vercel', 'vercel.com'],
  ['nuum', 'Nuum.ru', 'nuum.ru'],
  ['dns', 'DNS', 'dns-shop.ru'],
  ['aos', 'Loloo', 'loloo.com'],
  ['olxkz', 'OLX Kazakhstan', 'olx.kz'],
  ['olxua', 'OLX Ukraine', 'olx.ua'],
  ['olxpl', 'OLX Poland', 'olx.pl'],
  ['talk', 'Talkatone', 'talkatone.com'],
  ['etsy', 'Etsy', 'etsy.com'],
  ['olxro', 'OLX Romania', 'olx.ro'],
  ['olxbg', 'OLX Bulgaria', 'olx.bg'],
  ['olxpt', 'OLX Portugal', 'olx.pt'],
  ['git', 'GitHub', 'github.com'],
  ['olxuz', 'OLX Uzbekistan', 'olx.uz'],
  ['fbb', 'Facebook Business', 'facebookmail.com'],
  ['sls', 'Streamlabs', 'streamlabs.com'],
  ['uns', 'Unstop', 'unstop.com'],
  ['swl', 'Swarail', 'indianrail.gov.in'],
  ['tum', 'Tumblr', 'tumblr.com'],
  ['aud', 'Audible', 'audible.com'],
  ['rap', 'RapidAPI', 'rapidapi.com'],
  ['ser', 'SerpAPI', 'serpapi.com'],
  ['bol', 'Bosslike', 'bosslike.ru'],
  ['fmc', 'FMCPay', 'fmcpay.com'],
  ['awv', 'Wallapop', 'wallapop.com'],
  ['mml', 'MMLive', 'mmlive.com'],
  ['bnl', 'Reddit', 'redditmail.com'],
  ['skls', 'Skills', 'skills.com'],
  ['crsr', 'Cursor', 'cursor.com'],
  ['aws', 'Amazon AWS', 'signup.aws'],
  ['avk', 'Quoka', 'quoka.de'],
  ['fpx', '500px', '500px.com'],
  ['qql', 'QQLive', 'qq.com'],
  ['clg', 'Clubgg', 'clubgg.net'],
  ['pla', 'PolloAI', 'pollo.ai'],
  ['tln', 'Toluna', 'toluna.com'],
  ['kck', 'Kick', 'kick.com'],
  ['bbf', 'Neosurf', 'neosurf.com'],
  ['klb', 'Kolotibablo', 'kolotibablo.com'],
  ['rch', 'Research 360', 'research360.com'],
  ['wmb', 'Wamba', 'wamba.com'],
  ['tnx', 'Telnyx', 'telnyx.com'],
  ['grk', 'Grok', 'x.ai'],
  ['yab', 'Brevistay', 'brevistay.com'],
  ['dgo', 'DigitalOcean', 'digitalocean.com'],
  ['nne', 'OneOne', 'oneone.com'],
  ['ttn', 'Textnow', 'textnow.com'],
  ['bfl', 'Black Forest Labs', 'blackforestlabs.ai'],
  ['kt', 'KakaoTalk', 'kakao.com'],
];

export const DEFAULT_SERVICES: readonly CatalogService[] = SERVICES.map(([code, name, site]) => ({
  code,
  name,
  site,
}));

/** A priced offer of the default catalogue: paisa and the stock shown while the upstream reports none. */
export interface CatalogOffer {
  serviceCode: string;
  domain: string;
  price: number;
  stock: number;
}

// The reference's examples: ig 120.00 (48 in stock) and tg 95.00 (120) on gmail.com.
const SERVER1_EXAMPLES: Readonly<Record<string, { price: number; stock: number }>> = {
  ig: { price: 12_000, stock: 48 },
  tg: { price: 9_500, stock: 120 },
};

/** Server 1 on a fresh install: every service on gmail.com; 80.00 PKR unless the reference shows a price. */
export const DEFAULT_SERVER1_OFFERS: readonly CatalogOffer[] = DEFAULT_SERVICES.map((service) => ({
  serviceCode: service.code,
  domain: DEFAULT_SERVER1_DOMAIN,
  price: SERVER1_EXAMPLES[service.code]?.price ?? 8_000,
  stock: SERVER1_EXAMPLES[service.code]?.stock ?? 100,
}));

/** Server 2 on a fresh install: the reference's example domains and prices, plus two more (five, as its count says). */
export const DEFAULT_SERVER2_OFFERS: readonly CatalogOffer[] = [
  { serviceCode: '', domain: 'gmail.com', price: 1_560, stock: 82_000 },
  { serviceCode: '', domain: 'mail.com', price: 117, stock: 990_125 },
  { serviceCode: '', domain: 'gmx.com', price: 117, stock: 1_615_245 },
  { serviceCode: '', domain: 'outlook.com', price: 390, stock: 41_250 },
  { serviceCode: '', domain: 'hotmail.com', price: 390, stock: 38_400 },
];
