import { z } from 'zod';

/** A SIP account. Validated when loaded from settings so a typo gives a clear error. */
export const PhoneConfig = z.object({
  /** WebSocket URL of the SIP server, ws:// or wss:// */
  server: z.string().regex(/^wss?:\/\/[^\s]+$/, 'server must be a ws:// or wss:// URL'),
  /** Address of record, e.g. sip:1001@pbx.example.com */
  aor: z.string().regex(/^sips?:[^@\s]+@[^\s]+$/, 'aor must look like sip:user@host'),
  authUser: z.string().min(1).optional(),
  password: z.string(),
  displayName: z.string().max(64).optional(),
  registerExpiresSec: z.number().int().min(30).max(3600).default(300),
  /**
   * The caller ID of outbound calls (per account or campaign): the From display name and a
   * P-Asserted-Identity with this number. Absent = the AoR and displayName as they are.
   */
  callerId: z
    .object({
      /** E.164 (+81…) or national digits. */
      number: z
        .string()
        .regex(/^\+?[0-9]{1,20}$/, 'caller ID number must be digits, optionally with +')
        .optional(),
      displayName: z.string().max(64).optional(),
    })
    .strict()
    .optional(),
});
export type PhoneConfig = z.input<typeof PhoneConfig>;
