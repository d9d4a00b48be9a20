import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_SERVER1_OFFERS,
  DEFAULT_SERVER2_OFFERS,
  DEFAULT_SERVICES,
} from '../../src/db/migrations/0401-email-catalog-data.js';
import { ANY_SITE } from '../../src/emails/email-catalog.js';

// The reference's "Server 1 — All Service Codes (93 services)" table as its text runs: three
// code+name pairs a row, with nothing between a name and the next code.
const REFERENCE_ROWS = [
  'oiTinderigInstagramtgTelegram',
  'fbFacebooktwTwittervkVK / Mail.ru',
  'mmMicrosoftamAmazonwcCraigslist',
  'lfTikTokkaShopeedsDiscord',
  'wbWeChatbiglBiglionsnOLX',
  'hbTwitchxdTokopediayaYandex',
  'wxApplekcVintedfuSnapchat',
  'vzHingedrOpenAI / ChatGPTdoLeboncoin',
  'cnFiverryiYemeksepetirrWolt',
  'xyDepopvdBetfairusIRCTC',
  'seFeeldfkBLIBLIcwPaddyPower',
  'bnAlfagifteeTwilioprTrendyol',
  'gxHepsiburadalcSubitoebay_klKleinanzeigen',
  'otAny OtherwrWalmartaczClaude AI',
  'abdBebooahbUbisoftambVercel',
  'nuumNuum.rudnsDNSaosLoloo',
  'olxkzOLX KazakhstanolxuaOLX UkraineolxplOLX Poland',
  'talkTalkatoneetsyEtsyolxroOLX Romania',
  'olxbgOLX BulgariaolxptOLX PortugalgitGitHub',
  'olxuzOLX UzbekistanfbbFacebook BusinessslsStreamlabs',
  'unsUnstopswlSwarailtumTumblr',
  'audAudiblerapRapidAPIserSerpAPI',
  'bolBosslikefmcFMCPayawvWallapop',
  'mmlMMLivebnlRedditsklsSkills',
  'crsrCursorawsAmazon AWSavkQuoka',
  'fpx500pxqqlQQLiveclgClubgg',
  'plaPolloAItlnTolunakckKick',
  'bbfNeosurfklbKolotibablorchResearch 360',
  'wmbWambatnxTelnyxgrkGrok',
  'yabBrevistaydgoDigitalOceannneOneOne',
  'ttnTextnowbflBlack Forest LabsktKakaoTalk',
];

describe('default temp email catalogue', () => {
  it('has the 93 service codes of the reference, in its order, with its names', () => {
    assert.equal(DEFAULT_SERVICES.length, 93);
    assert.equal(new Set(DEFAULT_SERVICES.map((s) => s.code)).size, 93);
    const rows: string[] = [];
    for (let i = 0; i < DEFAULT_SERVICES.length; i += 3) {
      rows.push(
        DEFAULT_SERVICES.slice(i, i + 3)
          .map((s) => `${s.code}${s.name}`)
          .join(''),
      );
    }
    assert.deepEqual(rows, REFERENCE_ROWS);
    const names = Object.fromEntries(DEFAULT_SERVICES.map((s) => [s.code, s.name]));
    assert.equal(names.ig, 'Instagram');
    assert.equal(names.tg, 'Telegram');
    assert.equal(names.dr, 'OpenAI / ChatGPT');
    assert.equal(names.ebay_kl, 'Kleinanzeigen');
  });

  it('maps every service to a sender domain (the one its mail comes from)', () => {
    const sites = Object.fromEntries(DEFAULT_SERVICES.map((s) => [s.code, s.site]));
    assert.equal(sites.ig, 'instagram.com');
    assert.equal(sites.tg, 'telegram.org');
    assert.equal(sites.dr, 'openai.com');
    assert.equal(sites.fb, 'facebookmail.com');
    assert.equal(sites.ot, ANY_SITE);
    for (const service of DEFAULT_SERVICES) {
      if (service.code === 'ot') continue;
      assert.match(service.site, /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/, service.code);
    }
  });

  it('prices the reference examples as it shows them, and everything above zero', () => {
    const ig = DEFAULT_SERVER1_OFFERS.find((o) => o.serviceCode === 'ig');
    const tg = DEFAULT_SERVER1_OFFERS.find((o) => o.serviceCode === 'tg');
    assert.deepEqual([ig?.domain, ig?.price, ig?.stock], ['gmail.com', 12_000, 48]);
    assert.deepEqual([tg?.domain, tg?.price, tg?.stock], ['gmail.com', 9_500, 120]);
    assert.equal(DEFAULT_SERVER1_OFFERS.length, 93);
    assert.deepEqual(
      DEFAULT_SERVER2_OFFERS.slice(0, 3).map((o) => [o.domain, o.price, o.stock]),
      [
        ['gmail.com', 1_560, 82_000],
        ['mail.com', 117, 990_125],
        ['gmx.com', 117, 1_615_245],
      ],
    );
    assert.equal(DEFAULT_SERVER2_OFFERS.length, 5);
    for (const offer of [...DEFAULT_SERVER1_OFFERS, ...DEFAULT_SERVER2_OFFERS]) {
      assert.ok(Number.isSafeInteger(offer.price) && offer.price > 0);
      assert.ok(Number.isSafeInteger(offer.stock) && offer.stock > 0);
    }
  });
});
