import { z } from 'zod';

/** How an adapter reaches Google: credentials (none = Application Default Credentials) and endpoint. */
export const googleConnectionSchema = z.strictObject({
  /** Path to a service-account key file. */
  keyFilename: z.string().min(1).optional(),
  /** Service-account credentials given inline. */
  credentials: z.strictObject({ clientEmail: z.string().min(1), privateKey: z.string().min(1) }).optional(),
  projectId: z.string().min(1).optional(),
  /** Endpoint override, e.g. a regional endpoint or a local emulator (`insecure: true`, loopback only). */
  endpoint: z
    .strictObject({
      host: z.string().min(1),
      port: z.number().int().positive().max(65_535).optional(),
      insecure: z.boolean().optional(),
    })
    .optional(),
});

/** Connection options, as validated by {@link googleConnectionSchema}. */
export type GoogleConnection = z.infer<typeof googleConnectionSchema>;
