/** What the claim routes need from configuration (LEASE_SECONDS). */
export interface ClaimSettings {
  leaseSeconds: number;
}
