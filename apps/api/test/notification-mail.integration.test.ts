import type { NotificationSettings, Task } from "@taskflow/contracts";
import { NotificationScheduler, schema, unsubscribeToken } from "@taskflow/core";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkIn, type ReceivedMail, startSmtpServer } from "../../sso/test/smtp.ts";
import { createMailTransport, type MailTransport } from "../src/notifications/mail-transport.ts";
import { fixtures } from "./support/fixtures.ts";
import { startTestApi, type TestApi, testNotificationSecret } from "./support/test-api.ts";

// Notification mail through a real SMTP server on loopback: immediate mail, the daily digest (once per person and
// day, whichever replica), mail turned off, and the unsubscribe link (works without signing in; forged or
// tampered links change nothing).

let api: TestApi;
let fx: ReturnType<typeof fixtures>;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let transport: MailTransport;
beforeAll(async () => {
  api = await startTestApi();
  fx = fixtures(api);
  smtp = await startSmtpServer();
  transport = createMailTransport({
    from: "TaskFlow <no-reply@taskflow.test>",
    smtp: { host: "127.0.0.1", port: smtp.port, secure: false },
    mailboxDir: null,
  });
});
afterAll(async () => {
  await transport?.close();
  await smtp?.close();
  await api?.close();
});

const digestHour = 8;
const beforeDigest = new Date("2031-05-02T07:30:00.000Z");
const digestTime = new Date("2031-05-02T08:05:00.000Z");

function scheduler(now: () => Date) {
  return new NotificationScheduler(api.db, {
    isLeader: () => true,
    send: transport.send,
    links: { dashboardUrl: "http://dashboard.test", apiUrl: api.baseUrl, secret: testNotificationSecret },
    digestHour,
    intervalMs: 3_600_000,
    now,
  });
}

type Person = Awaited<ReturnType<TestApi["signIn"]>>;

async function team() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "member", name: "Olive Owner" });
  const member = await api.signIn({ orgId, orgRole: "member", name: "Max Member" });
  const project = await fx.createProject(owner.token, "Mail");
  await fx.addMember(owner.token, project.id, member.workerId, "member");
  return { owner, member, project };
}

/**
 * What a person reads: the helper undoes quoted-printable byte by byte, so UTF-8 (the quotes around a task's
 * title) is decoded here, as are RFC 2047 subjects and folded header lines.
 */
function readable(mail: ReceivedMail): { subject: string; text: string } {
  const bytes = (latin1: string) => Buffer.from(latin1, "latin1").toString("utf8");
  const subject = (mail.raw.match(/^Subject: (.*(?:\r?\n[ \t].*)*)$/m)?.[1] ?? "")
    .replace(/\r?\n[ \t]/g, " ")
    .replace(/=\?UTF-8\?Q\?([^?]*)\?=\s*/gi, (_, word: string) =>
      bytes(
        word
          .replace(/_/g, " ")
          .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
      ),
    );
  return { subject: subject.trim(), text: bytes(mail.text).replace(/\r?\n[ \t]+</g, " <") };
}

const emailOf = (person: Person) => `${person.sub}@example.test`;
const mailsTo = (person: Person) => smtp.mails.filter((mail) => mail.to.includes(emailOf(person)));

async function createTask(person: Person, projectId: string, body: Record<string, unknown>) {
  const res = await api.call<Task>("POST", `/api/projects/${projectId}/tasks`, { token: person.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function mention(t: Awaited<ReturnType<typeof team>>, text: string) {
  const task = await createTask(t.owner, t.project.id, { title: text });
  const res = await api.call("POST", `/api/tasks/${task.id}/comments`, {
    token: t.owner.token,
    body: { body: `${t.member.handle} ${text}` },
  });
  expect(res.status).toBe(201);
  return task;
}

const modes = async (person: Person) =>
  Object.fromEntries(
    (
      await api.call<NotificationSettings>("GET", "/api/notifications/settings", { token: person.token })
    ).body.kinds.map((k) => [k.kind, k.email]),
  );

describe("immediate mail", () => {
  it("a mention mails its person at once, with the task, the inbox and a one-click unsubscribe", async () => {
    const t = await team();
    const task = await mention(t, "Look at the logs");
    await scheduler(() => beforeDigest).tick();
    const mail = readable(await smtp.waitFor((m) => m.to.includes(emailOf(t.member))));
    expect(mail.subject).toBe("[TaskFlow] Olive Owner mentioned you on “Look at the logs”");
    expect(mail.text).toContain(`http://dashboard.test/tasks/${task.id}`);
    expect(mail.text).toContain("http://dashboard.test/inbox");
    expect(mail.text).toMatch(/^List-Unsubscribe: <http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?token=u1\./m);
    expect(mail.text).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    const [row] = await api.db
      .select()
      .from(schema.notifications)
      .where(eq(schema.notifications.recipientId, t.member.workerId));
    expect(row).toMatchObject({ emailState: "sent" });
    // Sent once: another round sends nothing more.
    await scheduler(() => beforeDigest).tick();
    expect(mailsTo(t.member)).toHaveLength(1);
    expect(mailsTo(t.owner)).toHaveLength(0);
  });

  it("mail turned off for a kind sends none (the inbox still has it)", async () => {
    const t = await team();
    await api.call("PATCH", "/api/notifications/settings", {
      token: t.member.token,
      body: { mention: "off" },
    });
    await mention(t, "Quietly");
    await scheduler(() => beforeDigest).tick();
    expect(mailsTo(t.member)).toHaveLength(0);
    const [row] = await api.db
      .select()
      .from(schema.notifications)
      .where(eq(schema.notifications.recipientId, t.member.workerId));
    expect(row).toMatchObject({ emailState: "skipped", readAt: null });
  });
});

describe("the daily digest", () => {
  it("collects the day's digest kinds into one mail at the digest hour, once per person and day, whichever replica", async () => {
    const t = await team();
    const first = await createTask(t.owner, t.project.id, {
      title: "First job",
      assigneeId: t.member.workerId,
    });
    await createTask(t.owner, t.project.id, { title: "Second job", assigneeId: t.member.workerId });
    const third = await createTask(t.owner, t.project.id, {
      title: "Seen already",
      assigneeId: t.member.workerId,
    });
    await scheduler(() => beforeDigest).tick();
    expect(mailsTo(t.member)).toHaveLength(0);
    // One read before the digest goes is not in it.
    const [seen] = await api.db
      .select()
      .from(schema.notifications)
      .where(
        and(
          eq(schema.notifications.recipientId, t.member.workerId),
          eq(schema.notifications.taskId, third.id),
        ),
      );
    await api.call("POST", `/api/notifications/${seen?.id}/read`, { token: t.member.token });

    const replicas = [scheduler(() => digestTime), scheduler(() => digestTime)];
    await Promise.all(replicas.map((s) => s.tick()));
    await scheduler(() => new Date(digestTime.getTime() + 3_600_000)).tick();
    const received = await smtp.waitFor((m) => m.to.includes(emailOf(t.member)));
    const digest = readable(received);
    expect(mailsTo(t.member)).toHaveLength(1);
    expect(digest.subject).toBe("[TaskFlow] Your digest: 2 notifications");
    expect(digest.text).toContain("Olive Owner assigned you “First job”");
    expect(digest.text).toContain("Olive Owner assigned you “Second job”");
    expect(digest.text).not.toContain("Seen already");
    expect(digest.text).toContain(`http://dashboard.test/tasks/${first.id}`);
    const [day] = await api.db
      .select()
      .from(schema.notificationDigests)
      .where(eq(schema.notificationDigests.workerId, t.member.workerId));
    expect(day).toMatchObject({ day: "2031-05-02", items: 2 });

    // Tomorrow's digest holds what came after today's.
    await createTask(t.owner, t.project.id, { title: "Third job", assigneeId: t.member.workerId });
    await scheduler(() => new Date(digestTime.getTime() + 6 * 3_600_000)).tick();
    expect(mailsTo(t.member)).toHaveLength(1);
    await scheduler(() => new Date(digestTime.getTime() + 24 * 3_600_000)).tick();
    const next = readable(await smtp.waitFor((m) => m.to.includes(emailOf(t.member)) && m !== received));
    expect(next.text).toContain("Third job");
    expect(next.text).not.toContain("First job");
  });

  it("goes at the digest hour of each person's own day, dated by their local date", async () => {
    const orgId = api.newTenant();
    const owner = await api.signIn({ orgId, orgRole: "member", name: "Olive Owner" });
    const tokyo = await api.signIn({ orgId, orgRole: "member", name: "Tomo Tokyo" });
    const utc = await api.signIn({ orgId, orgRole: "member", name: "Una Utc" });
    const project = await fx.createProject(owner.token, "Zones");
    for (const person of [tokyo, utc]) await fx.addMember(owner.token, project.id, person.workerId, "member");
    const chosen = await api.call("PATCH", "/api/workers/me/preferences", {
      token: tokyo.token,
      body: { timeZone: "Asia/Tokyo" },
    });
    expect(chosen.status).toBe(200);
    await createTask(owner, project.id, { title: "For Tokyo", assigneeId: tokyo.workerId });
    await createTask(owner, project.id, { title: "For UTC", assigneeId: utc.workerId });

    // 22:55 UTC on 5 June: past UTC's digest hour, so UTC's digest of the 5th goes; in Tokyo it is 07:55 on
    // the 6th, before the digest hour: nothing for Tokyo.
    await scheduler(() => new Date("2031-06-05T22:55:00.000Z")).tick();
    const utcMail = readable(await smtp.waitFor((m) => m.to.includes(emailOf(utc))));
    expect(utcMail.text).toContain("Your TaskFlow digest for 2031-06-05");
    expect(utcMail.text).toContain("For UTC");
    expect(mailsTo(tokyo)).toHaveLength(0);

    // 23:05 UTC is 08:05 on the 6th in Tokyo: Tokyo's digest of the 6th; still the 5th for UTC, done already.
    await scheduler(() => new Date("2031-06-05T23:05:00.000Z")).tick();
    const tokyoMail = readable(await smtp.waitFor((m) => m.to.includes(emailOf(tokyo))));
    expect(tokyoMail.text).toContain("Your TaskFlow digest for 2031-06-06");
    expect(tokyoMail.text).toContain("For Tokyo");
    expect(mailsTo(utc)).toHaveLength(1);
    const days = await api.db
      .select({ workerId: schema.notificationDigests.workerId, day: schema.notificationDigests.day })
      .from(schema.notificationDigests)
      .where(inArray(schema.notificationDigests.workerId, [tokyo.workerId, utc.workerId]));
    expect(new Map(days.map((d) => [d.workerId, d.day]))).toEqual(
      new Map([
        [utc.workerId, "2031-06-05"],
        [tokyo.workerId, "2031-06-06"],
      ]),
    );
  });

  it("leaves out a project the person has left", async () => {
    const t = await team();
    await createTask(t.owner, t.project.id, { title: "Left behind", assigneeId: t.member.workerId });
    await scheduler(() => beforeDigest).tick();
    await api.call("DELETE", `/api/projects/${t.project.id}/members/${t.member.workerId}`, {
      token: t.owner.token,
    });
    await scheduler(() => digestTime).tick();
    expect(mailsTo(t.member)).toHaveLength(0);
  });
});

describe("the unsubscribe link", () => {
  async function mailed(): Promise<{
    t: Awaited<ReturnType<typeof team>>;
    mail: ReceivedMail;
    link: string;
  }> {
    const t = await team();
    await mention(t, "Unsubscribe me");
    await scheduler(() => beforeDigest).tick();
    const mail = await smtp.waitFor((m) => m.to.includes(emailOf(t.member)));
    return { t, mail, link: linkIn(mail, `${api.baseUrl}/unsubscribe`) };
  }

  it("works without signing in: the page asks, the button unsubscribes that kind for that person only", async () => {
    const { t, link } = await mailed();
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain('<form method="post">');
    // Opening the page changed nothing (mail scanners open links).
    expect((await modes(t.member)).mention).toBe("immediate");

    const done = await fetch(link, {
      method: "POST",
      body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }),
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Unsubscribed");
    expect(await modes(t.member)).toMatchObject({ mention: "off", question: "immediate" });
    expect((await modes(t.owner)).mention).toBe("immediate");
    const audit = await api.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.action, "notification_settings.unsubscribed"));
    expect(audit.filter((row) => row.entityId === t.member.workerId)).toEqual([
      expect.objectContaining({
        actorId: t.member.workerId,
        actorType: "human",
        after: { email: { mention: "off" } },
      }),
    ]);
    // No more mentions by mail; the inbox still gets them.
    await mention(t, "After unsubscribing");
    await scheduler(() => beforeDigest).tick();
    expect(mailsTo(t.member)).toHaveLength(1);
    const again = await fetch(link, { method: "POST" });
    expect(again.status).toBe(200);
  });

  it("refuses a forged or tampered link, and changes nothing", async () => {
    const { t, link } = await mailed();
    const token = new URL(link).searchParams.get("token") as string;
    const [version, payload, signature] = token.split(".") as [string, string, string];
    const victim = t.owner.workerId;
    const forgedPayload = Buffer.from(JSON.stringify({ w: victim, k: ["mention"] })).toString("base64url");
    const flip = (text: string) => `${text.slice(0, -2)}${text.at(-2) === "A" ? "B" : "A"}${text.at(-1)}`;
    const attempts: Record<string, string> = {
      "signed with another secret": unsubscribeToken("not-the-api-secret-0123456789abcdefgh", {
        workerId: victim,
        kinds: ["mention"],
      }),
      "another person's id under a real signature": `${version}.${forgedPayload}.${signature}`,
      "a kind added under a real signature": `${version}.${Buffer.from(
        JSON.stringify({ w: t.member.workerId, k: ["mention", "question"] }),
      ).toString("base64url")}.${signature}`,
      "one character of the signature changed": `${version}.${payload}.${flip(signature)}`,
      "one character of the payload changed": `${version}.${flip(payload)}.${signature}`,
      "no signature": `${version}.${payload}`,
      "another version": `u2.${payload}.${signature}`,
    };
    for (const [what, forged] of Object.entries(attempts)) {
      for (const method of ["GET", "POST"]) {
        const res = await fetch(`${api.baseUrl}/unsubscribe?token=${encodeURIComponent(forged)}`, { method });
        expect(res.status, `${what} (${method})`).toBe(404);
        expect(res.headers.get("content-type"), what).toContain("application/problem+json");
      }
    }
    const missing = await fetch(`${api.baseUrl}/unsubscribe`, { method: "POST" });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("query.token");
    const junk = await fetch(`${api.baseUrl}/unsubscribe?token=${encodeURIComponent("<script>")}`);
    expect(junk.status).toBe(400);
    expect(await modes(t.owner)).toMatchObject({ mention: "immediate" });
    expect(await modes(t.member)).toMatchObject({ mention: "immediate", question: "immediate" });
  });
});
