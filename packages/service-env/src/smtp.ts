/** An SMTP server as SMTP_HOST, SMTP_PORT, SMTP_SECURE, SMTP_USER and SMTP_PASS name it (the SSO's, the API's mail). */
export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
}

/** nodemailer's transport options for it: a login only when a user is set; 10 s to connect and to be greeted. */
export function smtpTransportOptions(smtp: SmtpConfig) {
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.pass ?? "" } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
  };
}
