#include "parser/auto_phrases.h"

#include <algorithm>
#include <array>
#include <functional>
#include <string_view>
#include <vector>

#include "parser/mime.h"

namespace ticketd::parser::phrases {

namespace {

enum class Match {
  prefix,    // the phrase, then ':' (after optional spaces; or the full-width '：')
  start,     // the subject starts with the phrase (long, distinctive sentences)
  whole,     // the phrase is the whole subject (trailing spaces and '.' ignored)
  contains,  // anywhere in the subject
};

struct Phrase {
  std::string_view text;  // ASCII in lower case; other scripts as their systems write them
  Match match;
  AutoKind kind;
  Weight weight;
};

using K = AutoKind;
using W = Weight;
using M = Match;

// Checked in order; the first match wins, so strong entries come first.
constexpr Phrase kSubjects[] = {
    // Exchange / Outlook non-delivery reports, in the languages Exchange writes.
    {"undeliverable", M::prefix, K::delivery_report, W::strong},
    {"undeliverable mail", M::prefix, K::delivery_report, W::strong},
    {"unzustellbar", M::prefix, K::delivery_report, W::strong},
    {"nicht zustellbar", M::prefix, K::delivery_report, W::strong},
    {"non remis", M::prefix, K::delivery_report, W::strong},
    {"no se puede entregar", M::prefix, K::delivery_report, W::strong},
    {"no entregado", M::prefix, K::delivery_report, W::strong},
    {"non recapitabile", M::prefix, K::delivery_report, W::strong},
    {"onbestelbaar", M::prefix, K::delivery_report, W::strong},
    {"não é possível entregar", M::prefix, K::delivery_report, W::strong},
    {"não entregue", M::prefix, K::delivery_report, W::strong},
    {"kan ikke leveres", M::prefix, K::delivery_report, W::strong},
    {"kunde inte levereras", M::prefix, K::delivery_report, W::strong},
    {"ei voitu toimittaa", M::prefix, K::delivery_report, W::strong},
    {"nelze doručit", M::prefix, K::delivery_report, W::strong},
    {"nie można dostarczyć", M::prefix, K::delivery_report, W::strong},
    {"kézbesíthetetlen", M::prefix, K::delivery_report, W::strong},
    {"Не доставлено", M::prefix, K::delivery_report, W::strong},
    {"Недоставленное сообщение", M::start, K::delivery_report, W::strong},
    {"Δεν είναι δυνατή η παράδοση", M::prefix, K::delivery_report, W::strong},
    {"nedoručiteľné", M::prefix, K::delivery_report, W::strong},
    {"nedostavljivo", M::prefix, K::delivery_report, W::strong},
    {"ne može se isporučiti", M::prefix, K::delivery_report, W::strong},
    {"neisporučivo", M::prefix, K::delivery_report, W::strong},
    {"kézbesíthetetlen üzenet", M::prefix, K::delivery_report, W::strong},
    {"nu se poate livra", M::prefix, K::delivery_report, W::strong},
    {"nepristatoma", M::prefix, K::delivery_report, W::strong},
    {"nav piegādājams", M::prefix, K::delivery_report, W::strong},
    {"ei saa kätte toimetada", M::prefix, K::delivery_report, W::strong},
    {"teslim edilemedi", M::prefix, K::delivery_report, W::strong},
    {"iletilemedi", M::prefix, K::delivery_report, W::strong},
    {"không thể gửi", M::prefix, K::delivery_report, W::strong},
    {"tidak dapat dikirim", M::prefix, K::delivery_report, W::strong},
    {"tidak dapat diserahkan", M::prefix, K::delivery_report, W::strong},
    {"Не може да бъде доставено", M::prefix, K::delivery_report, W::strong},
    {"Не вдалося доставити", M::prefix, K::delivery_report, W::strong},
    {"Недоставлено", M::prefix, K::delivery_report, W::strong},
    {"Невозможно доставить", M::prefix, K::delivery_report, W::strong},
    {"לא ניתן למסור", M::prefix, K::delivery_report, W::strong},
    {"لا يمكن التسليم", M::prefix, K::delivery_report, W::strong},
    {"غير قابل للتسليم", M::prefix, K::delivery_report, W::strong},
    {"ไม่สามารถส่งได้", M::prefix, K::delivery_report, W::strong},
    {"配信不能", M::prefix, K::delivery_report, W::strong},
    {"無法傳遞", M::prefix, K::delivery_report, W::strong},
    {"无法投递", M::prefix, K::delivery_report, W::strong},
    {"배달되지 않음", M::prefix, K::delivery_report, W::strong},
    {"系统退信", M::start, K::delivery_report, W::strong},  // Chinese providers
    // MTAs' own wording.
    {"undelivered mail returned to sender", M::start, K::delivery_report, W::strong},  // Postfix
    {"delayed mail (still being retried)", M::start, K::delivery_report, W::strong},   // Postfix
    {"failure notice", M::whole, K::delivery_report, W::strong},                       // qmail
    {"returned mail", M::prefix, K::delivery_report, W::strong},                       // Sendmail
    {"warning: could not send message for past", M::start, K::delivery_report, W::strong},
    {"mail delivery failed", M::prefix, K::delivery_report, W::strong},  // Exim
    {"mail delivery failed: returning message", M::start, K::delivery_report, W::strong},
    {"delivery status notification", M::start, K::delivery_report, W::strong},  // Gmail, Exchange
    {"delivery notification: delivery has", M::start, K::delivery_report, W::strong},  // Domino
    {"delivery failure", M::prefix, K::delivery_report, W::strong},  // Domino, GroupWise
    {"delivery failure notification", M::start, K::delivery_report, W::strong},
    {"delivery report", M::prefix, K::delivery_report, W::strong},
    {"mail system error - returned mail", M::start, K::delivery_report, W::strong},  // Oracle
    {"message delivery failure", M::whole, K::delivery_report, W::strong},
    {"nondeliverable mail", M::start, K::delivery_report, W::strong},
    {"undeliverable message", M::whole, K::delivery_report, W::strong},
    {"undelivered mail", M::prefix, K::delivery_report, W::strong},
    {"mail could not be delivered", M::whole, K::delivery_report, W::strong},
    {"message could not be delivered", M::whole, K::delivery_report, W::strong},
    {"delivery delayed", M::prefix, K::delivery_report, W::strong},
    {"message delivery delayed", M::start, K::delivery_report, W::strong},
    {"notification d'état de remise", M::start, K::delivery_report, W::strong},  // Exchange (fr)
    {"benachrichtung zum", M::start, K::delivery_report, W::strong},  // Exchange (de, sic)
    {"benachrichtigung zum übermittlungsstatus", M::start, K::delivery_report, W::strong},
    {"mail returned to sender", M::start, K::delivery_report, W::strong},
    {"[postmaster] email delivery failure", M::start, K::delivery_report, W::strong},  // Mimecast
    {"not member article from", M::start, K::delivery_report, W::strong},  // fml list manager
    // Outlook.com's Junk Mail Reporting Program (not ARF).
    {"complaint about message from", M::start, K::feedback_report, W::strong},
    {"[spamcop", M::start, K::feedback_report, W::strong},            // SpamCop's reports
    {"abuse report about", M::start, K::feedback_report, W::strong},  // X-ARF senders
    // Out-of-office replies and autoresponders (Exchange, Outlook, Gmail, Zimbra,
    // Domino, help desks), in the languages they write.
    {"automatic reply", M::prefix, K::auto_reply, W::strong},
    {"autoreply", M::prefix, K::auto_reply, W::strong},
    {"auto-reply", M::prefix, K::auto_reply, W::strong},
    {"auto reply", M::prefix, K::auto_reply, W::strong},
    {"auto response", M::prefix, K::auto_reply, W::strong},
    {"auto-response", M::prefix, K::auto_reply, W::strong},
    {"autoresponse", M::prefix, K::auto_reply, W::strong},
    {"automated response", M::prefix, K::auto_reply, W::strong},
    {"automated reply", M::prefix, K::auto_reply, W::strong},
    {"out of office autoreply", M::prefix, K::auto_reply, W::strong},  // Exchange 2003
    {"out of office reply", M::prefix, K::auto_reply, W::strong},
    {"out of the office reply", M::start, K::auto_reply, W::strong},
    {"automatische antwort", M::prefix, K::auto_reply, W::strong},
    {"abwesenheitsnotiz", M::prefix, K::auto_reply, W::strong},  // Domino (de)
    {"réponse automatique", M::prefix, K::auto_reply, W::strong},
    {"respuesta automática", M::prefix, K::auto_reply, W::strong},
    {"risposta automatica", M::prefix, K::auto_reply, W::strong},
    {"automatisch antwoord", M::prefix, K::auto_reply, W::strong},
    {"resposta automática", M::prefix, K::auto_reply, W::strong},
    {"autosvar", M::prefix, K::auto_reply, W::strong},
    {"automatisk svar", M::prefix, K::auto_reply, W::strong},
    {"automaattinen vastaus", M::prefix, K::auto_reply, W::strong},
    {"automatická odpověď", M::prefix, K::auto_reply, W::strong},
    {"automatyczna odpowiedź", M::prefix, K::auto_reply, W::strong},
    {"odpowiedź automatyczna", M::prefix, K::auto_reply, W::strong},
    {"automatikus válasz", M::prefix, K::auto_reply, W::strong},
    {"Автоматический ответ", M::prefix, K::auto_reply, W::strong},
    {"Автоответ", M::prefix, K::auto_reply, W::strong},
    {"Αυτόματη απάντηση", M::prefix, K::auto_reply, W::strong},
    {"otomatik yanıt", M::prefix, K::auto_reply, W::strong},
    {"otomatik cevap", M::prefix, K::auto_reply, W::strong},
    {"răspuns automat", M::prefix, K::auto_reply, W::strong},
    {"automatski odgovor", M::prefix, K::auto_reply, W::strong},
    {"samodejni odgovor", M::prefix, K::auto_reply, W::strong},
    {"תשובה אוטומטית", M::prefix, K::auto_reply, W::strong},
    {"自動応答", M::prefix, K::auto_reply, W::strong},
    {"自動返信", M::prefix, K::auto_reply, W::strong},
    {"自动回复", M::prefix, K::auto_reply, W::strong},
    {"自動回覆", M::prefix, K::auto_reply, W::strong},
    {"자동 회신", M::prefix, K::auto_reply, W::strong},
    {"자동 응답", M::prefix, K::auto_reply, W::strong},
    {"Автоматична відповідь", M::prefix, K::auto_reply, W::strong},
    {"Автоматичен отговор", M::prefix, K::auto_reply, W::strong},
    {"Аутоматски одговор", M::prefix, K::auto_reply, W::strong},
    {"automatická odpoveď", M::prefix, K::auto_reply, W::strong},
    {"automaatvastus", M::prefix, K::auto_reply, W::strong},
    {"automātiskā atbilde", M::prefix, K::auto_reply, W::strong},
    {"automatinis atsakymas", M::prefix, K::auto_reply, W::strong},
    {"sjálfvirkt svar", M::prefix, K::auto_reply, W::strong},
    {"resposta automàtica", M::prefix, K::auto_reply, W::strong},
    {"erantzun automatikoa", M::prefix, K::auto_reply, W::strong},
    {"trả lời tự động", M::prefix, K::auto_reply, W::strong},
    {"balasan otomatis", M::prefix, K::auto_reply, W::strong},
    {"balasan automatik", M::prefix, K::auto_reply, W::strong},
    {"awtomatikong tugon", M::prefix, K::auto_reply, W::strong},
    {"ตอบกลับอัตโนมัติ", M::prefix, K::auto_reply, W::strong},
    {"رد تلقائي", M::prefix, K::auto_reply, W::strong},
    {"الرد التلقائي", M::prefix, K::auto_reply, W::strong},
    {"پاسخ خودکار", M::prefix, K::auto_reply, W::strong},
    {"स्वचालित जवाब", M::prefix, K::auto_reply, W::strong},
    {"স্বয়ংক্রিয় উত্তর", M::prefix, K::auto_reply, W::strong},
    // Receipts written as text by clients that do not send MDNs.
    {"disposition notification", M::start, K::read_receipt, W::strong},
    {"message status - opened", M::start, K::read_receipt, W::strong},  // GroupWise
    {"message status - read", M::start, K::read_receipt, W::strong},
    // Nagios and Icinga notifications ("** PROBLEM Service Alert: ... **").
    {"** problem ", M::start, K::auto_generated, W::strong},
    {"** recovery ", M::start, K::auto_generated, W::strong},
    {"** acknowledgement ", M::start, K::auto_generated, W::strong},
    {"** flappingstart ", M::start, K::auto_generated, W::strong},
    {"** downtimestart ", M::start, K::auto_generated, W::strong},

    // Weak: a person may write these ("Out of office next week?", "Delivery
    // failed for our pallets").
    {"undeliverable", M::contains, K::delivery_report, W::weak},
    {"undelivered", M::contains, K::delivery_report, W::weak},
    {"not delivered", M::contains, K::delivery_report, W::weak},
    {"delivery failure", M::contains, K::delivery_report, W::weak},
    {"delivery failed", M::contains, K::delivery_report, W::weak},
    {"delivery status", M::contains, K::delivery_report, W::weak},
    {"delivery problem", M::contains, K::delivery_report, W::weak},
    {"delivery delayed", M::contains, K::delivery_report, W::weak},
    {"returned mail", M::contains, K::delivery_report, W::weak},
    {"returned to sender", M::contains, K::delivery_report, W::weak},
    {"could not be delivered", M::contains, K::delivery_report, W::weak},
    {"non remis", M::contains, K::delivery_report, W::weak},
    {"unzustellbar", M::contains, K::delivery_report, W::weak},
    {"nicht zugestellt", M::contains, K::delivery_report, W::weak},
    {"配信エラー", M::contains, K::delivery_report, W::weak},  // Japanese carriers
    {"out of office", M::contains, K::auto_reply, W::weak},
    {"out of the office", M::contains, K::auto_reply,
     W::weak},  // Domino: "X is out of the office."
    {"on vacation", M::contains, K::auto_reply, W::weak},
    {"vacation reply", M::contains, K::auto_reply, W::weak},
    {"away from the office", M::contains, K::auto_reply, W::weak},
    {"abwesenheit", M::contains, K::auto_reply, W::weak},
    {"abwesend", M::contains, K::auto_reply, W::weak},
    {"auto reply", M::contains, K::auto_reply, W::weak},
    {"autoreply", M::contains, K::auto_reply, W::weak},  // RT: "[host #12] AutoReply: ..."
    {"auto-reply", M::contains, K::auto_reply, W::weak},
    {"automatic reply", M::contains, K::auto_reply, W::weak},
    {"read", M::prefix, K::read_receipt, W::weak},  // Outlook: "Read: <subject>"
    {"gelesen", M::prefix, K::read_receipt, W::weak},
    {"lu", M::prefix, K::read_receipt, W::weak},
    {"leído", M::prefix, K::read_receipt, W::weak},
    {"not read", M::prefix, K::read_receipt, W::weak},
    {"read receipt", M::contains, K::read_receipt, W::weak},
    {"return receipt", M::contains, K::read_receipt, W::weak},  // Domino
    {"lesebestätigung", M::contains, K::read_receipt, W::weak},

    // Hints: help desks' and shops' acknowledgements (automatic for another
    // reason, such as Auto-Submitted: auto-generated, are auto-replies).
    {"we have received your", M::contains, K::auto_reply, W::hint},
    {"we've received your", M::contains, K::auto_reply, W::hint},
    {"we received your", M::contains, K::auto_reply, W::hint},
    {"thank you for contacting", M::contains, K::auto_reply, W::hint},
    {"thanks for contacting", M::contains, K::auto_reply, W::hint},
    {"thank you for your", M::contains, K::auto_reply, W::hint},
    {"thanks for your", M::contains, K::auto_reply, W::hint},
    {"ticket received", M::contains, K::auto_reply, W::hint},
    {"request received", M::contains, K::auto_reply, W::hint},
    {"has been received", M::contains, K::auto_reply, W::hint},
    {"has been opened", M::contains, K::auto_reply, W::hint},
    {"has been created", M::contains, K::auto_reply, W::hint},
    {"ticket opened", M::contains, K::auto_reply, W::hint},
    {"ticket created", M::contains, K::auto_reply, W::hint},
    {"eingangsbestätigung", M::contains, K::auto_reply, W::hint},
    {"accusé de réception", M::contains, K::auto_reply, W::hint},
    {"has been submitted", M::contains, K::auto_reply, W::hint},
    {"new ticket", M::contains, K::auto_reply, W::hint},
    {"nouveau ticket", M::contains, K::auto_reply, W::hint},
    {"neues ticket", M::contains, K::auto_reply, W::hint},
    {"[ticket #", M::contains, K::auto_reply, W::hint},
    {"your ticket", M::contains, K::auto_reply, W::hint},
    {"your case", M::contains, K::auto_reply, W::hint},
};

// Sentences mail systems open their reports with (qmail, Exim, Sendmail,
// Postfix, Exchange, Domino, Gmail, GroupWise, Mimecast, KDDI, Mailman, fml).
// A person pasting one is possible, so each is weak evidence.
constexpr std::array<TextHit, 38> kTexts{{
    {K::delivery_report, "this is the qmail-send program"},
    {K::delivery_report, "this is the mail system at host"},
    {K::delivery_report, "this message was created automatically by mail delivery software"},
    {K::delivery_report, "the original message was received at"},
    {K::delivery_report, "the following addresses had permanent fatal errors"},
    {K::delivery_report, "delivery has failed to these recipients or groups"},
    {K::delivery_report, "your message did not reach some or all of the intended recipients"},
    {K::delivery_report, "diagnostic information for administrators"},
    {K::delivery_report, "delivery to the following recipient failed"},
    {K::delivery_report, "delivery to the following recipients failed"},
    {K::delivery_report, "i'm sorry to have to inform you that your message could not"},
    {K::delivery_report, "a message that you sent could not be delivered"},
    {K::delivery_report, "this is an automatically generated delivery status notification"},
    {K::delivery_report, "your message could not be delivered"},
    {K::delivery_report, "your message couldn't be delivered"},
    {K::delivery_report, "could not be delivered to one or more recipients"},
    {K::delivery_report, "message could not be delivered to the following recipients"},
    {K::delivery_report, "could not be delivered to:"},
    {K::delivery_report, "unable to deliver your message"},
    {K::delivery_report, "the following recipient(s) could not be reached"},
    {K::delivery_report, "your message was not delivered"},
    {K::delivery_report, "delivery to the following recipients has been delayed"},
    {K::delivery_report, "delivery to the following recipient has been delayed"},
    {K::delivery_report, "this is a delivery status notification"},
    {K::delivery_report, "was rejected by the list moderator"},         // Mailman
    {K::delivery_report, "you are not a member of this mailing list"},  // fml
    {K::delivery_report, "original message id:"},                       // Mimecast
    {K::delivery_report, "ihre nachricht konnte nicht"},
    {K::delivery_report, "konnte nicht zugestellt werden"},
    {K::delivery_report, "n'a pas pu être remis"},
    {K::delivery_report, "no se pudo entregar"},
    {K::delivery_report, "non è stato possibile recapitare"},
    {K::read_receipt, "was received by:"},  // Domino return receipt
    {K::read_receipt, "this is a receipt for the mail you sent"},
    {K::read_receipt, "your message was read on"},
    {K::read_receipt, "was displayed on the recipient's computer"},
    {K::read_receipt, "this is a return receipt"},
    {K::read_receipt, "was opened on"},  // GroupWise status
}};

// What help desks, CRMs and shops write when they acknowledge a mail.
constexpr std::array<std::string_view, 16> kAcknowledgements{
    "your ticket has been created",
    "your request has been received",
    "we have received your",
    "we've received your",
    "thank you for contacting",
    "thanks for contacting",
    "has been submitted and will be",
    "a representative will respond",
    "your case number is",
    "a été créé",
    "a bien été reçu",
    "wurde erstellt",
    "ist bei uns eingegangen",
    "hemos recibido su",
    "abbiamo ricevuto la",
    "we hebben je bericht ontvangen",
};

// What people out of the office write as a whole subject, and in the text.
constexpr std::array<std::string_view, 39> kAbsenceSubjects{
    "abwesenheitsnotiz",
    "out of office",
    "out of the office",
    "absent",
    "absence",
    "away",
    "on vacation",
    "on holiday",
    "on leave",
    "vacation",
    "holiday",
    "abwesend",
    "abwesenheit",
    "nicht im büro",
    "außer haus",
    "absence du bureau",
    "absent du bureau",
    "absente",
    "en congés",
    "en vacances",
    "afwezig",
    "niet op kantoor",
    "fuori sede",
    "fuori ufficio",
    "assente",
    "in ferie",
    "ausente",
    "fuera de la oficina",
    "de vacaciones",
    "fora do escritório",
    "ausente do escritório",
    "poza biurem",
    "nieobecność",
    "frånvarande",
    "fraværende",
    "ikke på kontoret",
    "poissa",
    "mimo kancelář",
    "i am away",
};
constexpr std::array<std::string_view, 34> kAbsenceTexts{
    "nicht erreichbar",
    "en congé",
    "à mon retour",
    "de retour le",
    "out of the office",
    "out of office",
    "i am away",
    "i'm away",
    "no access to e-mail",
    "no access to email",
    "limited access to email",
    "limited access to e-mail",
    "will be back",
    "i will return",
    "i'll be back",
    "back in the office",
    "abwesend",
    "nicht im büro",
    "außer haus",
    "absent",
    "de retour",
    "afwezig",
    "terug op",
    "fuori sede",
    "fuori ufficio",
    "rientro",
    "ausente",
    "fuera de la oficina",
    "estaré de vuelta",
    "fora do escritório",
    "poza biurem",
    "nieobecn",
    "frånvarande",
    "on vacation",
};

// "Re:", "Fwd:", "AW:", "WG:", "TR:", "RV:", "SV:", "VS:", "Antw:", ... at the
// start: a person answering or forwarding; mail systems never write these
// before their own wording (their prefix comes first: "Undeliverable: Re: x").
bool person_prefix(std::string_view s) {
  const std::size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon > 6) return false;
  const std::string p = to_lower(trim(s.substr(0, colon)));
  static constexpr std::array<std::string_view, 16> kPrefixes{
      "re", "fw",   "fwd", "aw",  "wg",  "tr",  "rv",  "sv",
      "vs", "antw", "ref", "odp", "rif", "enc", "res", "r"};
  return std::find(kPrefixes.begin(), kPrefixes.end(), p) != kPrefixes.end();
}

std::string_view trim_end_punct(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '.' || s.back() == '!')) s.remove_suffix(1);
  return s;
}

bool matches(const Phrase& p, std::string_view lower) {
  // Most phrases fail at the first letter: checked here, not in a memcmp call.
  if (p.match != M::contains && !p.text.empty() && (lower.empty() || lower[0] != p.text[0]))
    return false;
  switch (p.match) {
    case M::prefix: {
      if (!lower.starts_with(p.text)) return false;
      std::string_view rest = lower.substr(p.text.size());
      while (rest.starts_with(' ')) rest.remove_prefix(1);
      return rest.starts_with(':') || rest.starts_with("\xEF\xBC\x9A");  // ':' or U+FF1A '：'
    }
    case M::start:
      return lower.starts_with(p.text);
    case M::whole:
      return trim_end_punct(lower) == p.text;
    case M::contains:
      return lower.find(p.text) != std::string_view::npos;
  }
  return false;
}

// After an absence phrase: nothing, or "until ...", "tot 11 maart", " - back
// Monday", "(12.-16.8.)". A question mark means a person asking something.
bool absence_tail(std::string_view rest) {
  if (rest.find('?') != std::string_view::npos) return false;
  rest = trim_end_punct(rest);
  if (rest.empty()) return true;
  const char c = rest.front();
  return c == ' ' || c == '-' || c == ':' || c == '(' || c == ',' ||
         rest.starts_with("\xE2\x80\x93");  // en dash
}

}  // namespace

std::optional<Hit> subject_hit(std::string_view subject) {
  subject = trim(subject);
  if (subject.empty() || person_prefix(subject)) return std::nullopt;
  const std::string lower = to_lower(subject);
  for (const Phrase& p : kSubjects)
    if (matches(p, lower)) return Hit{p.kind, p.weight};
  return std::nullopt;
}

// Amazon SES notifications mailed by SNS are JSON (quotes escaped inside
// "Message"): compared without backslashes and spaces.
constexpr std::array<TextHit, 4> kJson{{
    {K::delivery_report, "\"notificationtype\":\"bounce\""},
    {K::delivery_report, "\"bounce\":{\"bounce"},
    {K::feedback_report, "\"notificationtype\":\"complaint\""},
    {K::feedback_report, "\"complaint\":{\""},
}};

namespace {
// Every phrase is searched for in up to 8 KB of text: with find() (memchr on
// the first letter, then memcmp) a common first letter stopped it every few
// bytes, ~a tenth of parse_bench's time. Boyer-Moore-Horspool skips ahead
// by up to the phrase's length instead. Made once, used read-only by any thread.
using Searcher = std::boyer_moore_horspool_searcher<std::string_view::const_iterator>;

template <std::size_t N>
std::vector<Searcher> searchers_for(const std::array<std::string_view, N>& phrases) {
  std::vector<Searcher> out;
  for (std::string_view p : phrases) out.emplace_back(p.begin(), p.end());
  return out;
}

bool occurs(std::string_view text, const Searcher& s) {
  return s(text.begin(), text.end()).first != text.end();
}
}  // namespace

std::optional<TextHit> text_hit(std::string_view text) {
  static const std::vector<Searcher> searchers = [] {
    std::vector<Searcher> out;
    for (const TextHit& t : kTexts) out.emplace_back(t.phrase.begin(), t.phrase.end());
    return out;
  }();
  for (std::size_t i = 0; i < kTexts.size(); ++i)
    if (occurs(text, searchers[i])) return kTexts[i];
  if (text.find('{') == std::string_view::npos) return std::nullopt;
  std::string compact;
  for (char c : text)
    if (c != '\\' && c != ' ') compact.push_back(c);
  for (const TextHit& t : kJson)
    if (compact.find(t.phrase) != std::string::npos) return t;
  return std::nullopt;
}

std::optional<std::string_view> acknowledgement_text(std::string_view text) {
  text = text.substr(0, 2048);  // the acknowledgement opens the mail
  static const std::vector<Searcher> searchers = searchers_for(kAcknowledgements);
  for (std::size_t i = 0; i < kAcknowledgements.size(); ++i)
    if (occurs(text, searchers[i])) return kAcknowledgements[i];
  return std::nullopt;
}

bool absence_subject(std::string_view subject) {
  const std::string lower = to_lower(trim(subject));
  return std::any_of(kAbsenceSubjects.begin(), kAbsenceSubjects.end(), [&](std::string_view a) {
    return std::string_view(lower).starts_with(a) &&
           absence_tail(std::string_view(lower).substr(a.size()));
  });
}

std::optional<std::string_view> absence_template(std::string_view subject, std::string_view text) {
  if (!absence_subject(subject)) return std::nullopt;
  for (std::string_view t : kAbsenceTexts)
    if (text.find(t) != std::string_view::npos) return t;
  return std::nullopt;
}

}  // namespace ticketd::parser::phrases
