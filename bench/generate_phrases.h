/*
 * Phrase banks for fb-generate: the pieces its comments are made of.
 * Only generate.c includes this file. Each sentence carries the topic it
 * is about (it becomes a tag) or NULL. Changing any string changes the
 * bundled sample (examples/data/feedback-sample.csv): regenerate it.
 */
#ifndef FB_GENERATE_PHRASES_H
#define FB_GENERATE_PHRASES_H

typedef struct phrase {
    const char *text;
    const char *topic;
} phrase;

#ifndef COUNT_OF
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* ---------------------------------------------------------------- short */

static const char *const SHORT_RU_POS[] = {
    "Всё отлично!", "Спасибо, всё супер.", "Очень довольна.", "Рекомендую!", "Быстро и удобно.",
    "Молодцы!", "Всё хорошо, спасибо!", "Отличный сервис 👍", "5 из 5", "Лучше не бывает."};
static const char *const SHORT_RU_NEU[] = {
    "Нормально.", "В целом неплохо.", "Сойдёт.", "Есть над чем поработать.", "Без восторга, но ок.",
    "Так себе, но работает.", "Средне."};
static const char *const SHORT_RU_NEG[] = {
    "Ужасно.", "Не рекомендую.", "Очень плохо.", "Разочарован.", "Больше не закажу.",
    "Кошмар 😡", "Верните деньги.", "Долго и дорого."};
static const char *const SHORT_EN_POS[] = {
    "Great service!", "Thanks, all good.", "Very happy.", "Highly recommend!", "Fast and easy.",
    "Love it 👍", "Excellent.", "Couldn't be better.", "5 stars", "Spot on, thank you!"};
static const char *const SHORT_EN_NEU[] = {
    "OK.", "Fine, I guess.", "Not bad.", "Could be better.", "Average.", "It works, mostly.",
    "Meh."};
static const char *const SHORT_EN_NEG[] = {
    "Terrible.", "Not recommended.", "Very disappointed.", "Never again.", "Awful 😡",
    "I want a refund.", "Slow and expensive.", "Waste of money."};

/* ------------------------------------------------------------ sentences */

static const phrase SENT_RU_POS[] = {
    {"Доставили на день раньше, курьер вежливый и аккуратный.", "delivery"},
    {"Оператор быстро разобрался, в чём дело, и всё исправил за пять минут.", "support"},
    {"Приложение удобное, оплата проходит в пару касаний.", "app"},
    {"Интернет летает, за месяц ни одного обрыва.", "connection"},
    {"Цены адекватные, а по акции вообще отлично вышло.", "price"},
    {"Качество товара соответствует описанию, упаковка целая.", "quality"},
    {"Мастер пришёл вовремя, всё подключил и объяснил, как пользоваться.", "staff"},
    {"Спасибо Анне из поддержки — терпеливо ответила на все вопросы.", "support"},
    {"Счёт пришёл понятный, без скрытых платежей.", "billing"},
    {"Пользуюсь уже третий год и пока ни разу не пожалела.", NULL},
    {"Возврат оформили за один день, деньги пришли на карту сразу.", "billing"},
    {"В чате ответили за минуту, без шаблонных отписок.", "support"},
    {"Новая версия приложения стала заметно быстрее.", "app"},
    {"Всё как обещали: «подключим завтра» — и подключили.", "connection"}};
static const phrase SENT_RU_NEU[] = {
    {"В целом нормально, но ждать ответа пришлось долго.", "support"},
    {"Доставка в срок, но коробка была помята.", "delivery"},
    {"Приложение работает, хотя иногда подвисает на оплате.", "app"},
    {"Цена чуть выше, чем у конкурентов, зато без сюрпризов.", "price"},
    {"Скорость нормальная, вечером бывает проседает.", "connection"},
    {"Оператор был вежлив, но решить вопрос с первого раза не смог.", "support"},
    {"Товар хороший, но инструкция только на английском.", "quality"},
    {"Тариф устраивает, но в счёте не сразу разберёшься.", "billing"},
    {"Курьер опоздал на полчаса, зато предупредил заранее.", "delivery"},
    {"Ничего особенного, обычный сервис.", NULL}};
static const phrase SENT_RU_NEG[] = {
    {"Заказ потеряли, уже неделю не могут сказать, где он.", "delivery"},
    {"Оператор сказал «перезвоним завтра» и так и не перезвонил.", "support"},
    {"Приложение вылетает при каждой попытке оплатить.", "app"},
    {"Интернет пропадает по несколько раз в день, работать невозможно.", "connection"},
    {"С меня списали деньги дважды, а возвращать не спешат.", "billing"},
    {"Цены подняли, а качество стало только хуже.", "price"},
    {"Прислали не тот товар, да ещё и с браком.", "quality"},
    {"Мастер не пришёл в назначенное время, никто не предупредил.", "staff"},
    {"На линии поддержки висела 40 минут, потом звонок сбросили.", "support"},
    {"Три раза писала в чат, каждый раз новый сотрудник и всё сначала.", "support"},
    {"После обновления пропала история заказов.", "app"},
    {"Курьер оставил посылку у двери, хотя просила передать лично.", "delivery"},
    {"Обещали скидку, а в счёте её нет.", "billing"}};

static const phrase SENT_EN_POS[] = {
    {"Delivered a day early, and the courier was polite and careful.", "delivery"},
    {"The agent understood the problem right away and fixed it in five minutes.", "support"},
    {"The app is easy to use, and paying takes two taps.", "app"},
    {"The connection is fast and stable, not a single drop this month.", "connection"},
    {"Fair prices, and the promo made it a real bargain.", "price"},
    {"The product is exactly as described, well packed.", "quality"},
    {"The technician arrived on time, set everything up and explained it all.", "staff"},
    {"Thanks to Sam from support, who patiently answered all my questions.", "support"},
    {"The bill is clear, no hidden fees.", "billing"},
    {"I've been a customer for three years and never regretted it.", NULL},
    {"The refund was processed the same day.", "billing"},
    {"Chat replied within a minute, with real answers, not templates.", "support"},
    {"The new version of the app is noticeably faster.", "app"},
    {"They said \"we'll connect you tomorrow\", and they did.", "connection"}};
static const phrase SENT_EN_NEU[] = {
    {"Overall fine, but I had to wait a long time for an answer.", "support"},
    {"Delivered on time, but the box was dented.", "delivery"},
    {"The app works, although it sometimes freezes at checkout.", "app"},
    {"A bit pricier than the competition, but no surprises.", "price"},
    {"Speed is OK, it drops a little in the evenings.", "connection"},
    {"The agent was polite, but couldn't solve it the first time.", "support"},
    {"Good product, but the manual is only in German.", "quality"},
    {"The plan suits me, but the bill is hard to read.", "billing"},
    {"The courier was half an hour late, but he called ahead.", "delivery"},
    {"Nothing special, a regular service.", NULL}};
static const phrase SENT_EN_NEG[] = {
    {"They lost my order and for a week nobody can tell me where it is.", "delivery"},
    {"The agent said \"we'll call you back tomorrow\" and never did.", "support"},
    {"The app crashes every time I try to pay.", "app"},
    {"The internet drops several times a day, I can't work like this.", "connection"},
    {"I was charged twice, and the refund is taking forever.", "billing"},
    {"Prices went up, and quality only got worse.", "price"},
    {"Wrong item delivered, and it was broken, too.", "quality"},
    {"The technician didn't show up, and nobody let me know.", "staff"},
    {"I was on hold for 40 minutes, then the call dropped.", "support"},
    {"Wrote to chat three times, a new agent every time, starting from scratch.", "support"},
    {"After the update my order history is gone.", "app"},
    {"The courier left the parcel at the door, although I asked for hand delivery.", "delivery"},
    {"They promised a discount, but it's not on the bill.", "billing"}};

/* Openers and closers for long comments. */
static const char *const OPEN_RU[] = {"Добрый день!", "Здравствуйте.", "Хочу оставить отзыв.",
                                      "Коротко:", "Пишу уже не первый раз."};
static const char *const CLOSE_RU_POS[] = {"Спасибо!", "Так держать!", "Буду рекомендовать друзьям."};
static const char *const CLOSE_RU_NEG[] = {"Жду ответа.", "Разберитесь, пожалуйста.",
                                           "Если ничего не изменится, уйду к другому провайдеру."};
static const char *const OPEN_EN[] = {"Hi,", "Hello.", "Quick feedback:", "Long story short:",
                                      "Not the first time I'm writing."};
static const char *const CLOSE_EN_POS[] = {"Thanks!", "Keep it up!", "Will recommend to friends."};
static const char *const CLOSE_EN_NEG[] = {"Waiting for an answer.", "Please sort this out.",
                                           "If nothing changes, I'm switching providers."};

/* Abusive sentences: insults, profanity, some of them obfuscated. */
static const char *const ABUSE_RU[] = {
    "Вы идиоты.", "Сервис — г*вно.", "Полное дерьмо, а не сервис!",
    "Дебилы, даже посылку доставить не можете.", "Идиоты, верните деньги!",
    "Тупые уроды.", "и д и о т ы", "Идиooooты!!!", "Г0ВНО, а не приложение."};
static const char *const ABUSE_EN[] = {
    "You are idiots.", "What a crap service!", "Bunch of clueless morons.",
    "This is bullshit, total bullshit.", "Your support is shit.", "F*cking useless app.",
    "Stupid idiots can't even deliver a parcel.", "1d10ts!!!", "w h a t  a  c r a p"};

/* Texts posted many times by different "customers" within hours. */
static const char *const BURST_POSITIVE = "Лучший сервис в городе! Всем рекомендую!!!";
static const char *const BURST_NEGATIVE = "Terrible company, do not buy anything here. SCAM!";

#endif
