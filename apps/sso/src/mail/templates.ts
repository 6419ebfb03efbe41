import { escapeHtml } from "../pages/html.ts";
import type { MailMessage } from "./mailer.ts";

function linkMail(
  to: string,
  subject: string,
  intro: string,
  action: string,
  url: string,
  outro: string,
): MailMessage {
  return {
    to,
    subject,
    text: `${intro}\n\n${action}: ${url}\n\n${outro}\n`,
    html: `<p>${escapeHtml(intro)}</p><p><a href="${escapeHtml(url)}">${escapeHtml(action)}</a></p><p>${escapeHtml(outro)}</p>`,
  };
}

export function verificationMail(to: string, url: string): MailMessage {
  return linkMail(
    to,
    "Confirm your TaskFlow email address",
    "Welcome to TaskFlow. Please confirm that this is your email address.",
    "Confirm email address",
    url,
    "If you did not create a TaskFlow account, you can ignore this message.",
  );
}

export function resetPasswordMail(to: string, url: string): MailMessage {
  return linkMail(
    to,
    "Reset your TaskFlow password",
    "Someone asked to reset the password of your TaskFlow account.",
    "Choose a new password",
    url,
    "If it was not you, ignore this message: your password stays the same.",
  );
}

export function existingAccountMail(to: string, url: string): MailMessage {
  return linkMail(
    to,
    "Someone tried to sign up with your email address",
    "Somebody tried to create a TaskFlow account with your email address, but you already have one.",
    "Sign in or reset your password",
    url,
    "If it was not you, you can ignore this message.",
  );
}

export function invitationMail(
  to: string,
  url: string,
  organizationName: string,
  inviterName: string,
  role: string,
): MailMessage {
  return linkMail(
    to,
    `You are invited to ${organizationName} on TaskFlow`,
    `${inviterName} invited you to join the organization "${organizationName}" on TaskFlow as ${role}.`,
    "Review the invitation",
    url,
    "If you do not know this organization, you can ignore this message.",
  );
}

export function changeEmailMail(to: string, newEmail: string, url: string): MailMessage {
  return linkMail(
    to,
    "Approve the change of your TaskFlow email address",
    `Someone asked to change the email address of your TaskFlow account to ${newEmail}.`,
    "Approve the change",
    url,
    "If it was not you, ignore this message and change your password.",
  );
}
