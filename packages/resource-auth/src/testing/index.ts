export { type MintOptions, startTestIssuer, type TestIssuer } from "./test-issuer.ts";
