// What a call was about, as a topic a line can name: "请问您之前咨询的是「…」的问题吗？".
// Pure: no I/O. The stored subject is the customer's first substantial words (deriveSubject);
// read out as they are they put the caller's own framing in the agent's mouth (我想问一下…,
// 我家…) and can carry a policy or ID number said aloud.

/** Framing before the topic: 我想问一下, 请问, 麻烦帮我查一下, 就是… */
const FRAMING =
  /^(?:(?:那个|就是|嗯|呃|我|俺|想|要|就|是|再|还)*(?:问一下|问问|问下|咨询一下|咨询下|咨询|请问一下|请问|了解一下|了解下|反映一下|反映|说一下|说下|查一下|查查|查下|办一下|办理一下|问|查|麻烦(?:你|您)?(?:帮我)?|帮我)[，,:：\s]*)+/u;
const CLAUSE = /[，,。.！!？?；;\n]/u;
const MAX_TOPIC = 20;

/**
 * The topic of a subject: the caller's framing dropped, the first clause with words in it,
 * the caller's 我/我的/我家 as the agent says it (您…), a clause with a long digit run (a policy,
 * ID or card number) skipped, at most 20 characters. Null when nothing is left to name.
 */
export function topicOf(subject: string | null | undefined): string | null {
  if (!subject) return null;
  const text = subject.replace(/…$/u, '').trim();
  for (const part of text.split(CLAUSE)) {
    // A clause that carries a number (我的保单号是…) names no topic and is not read out.
    if (/[0-9０-９*＊]{5,}/u.test(part)) continue;
    let t = part.trim().replace(FRAMING, '').trim();
    t = t
      .replace(/^(?:我|俺)?(?:想要|想|要|需要|打算)/u, '')
      .replace(/^(?:我|俺)(?=的|家|们家)/u, '您')
      .replace(/^(?:我|俺)/u, '您')
      .replace(/(?:吗|呢|啊|呀|吧|了)+$/u, '')
      .trim();
    const spoken = t.replace(/[\p{P}\p{S}\s]/gu, '');
    if (spoken.length < 2 || spoken === '您') continue;
    return t.length > MAX_TOPIC ? `${t.slice(0, MAX_TOPIC)}…` : t;
  }
  return null;
}
