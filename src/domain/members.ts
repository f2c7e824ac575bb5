import * as v from 'valibot'
import { ROLES } from './community'
import { StampSchema } from './hlc'

// Each device writes only its own member entry (keyed by device id), so two people
// never overwrite each other; display names on shifts and activities come from here.

export const MemberSchema = v.object({
  deviceId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_]{1,64}$/)),
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(30)),
  role: v.picklist(ROLES),
  stamp: StampSchema,
})
export type Member = v.InferOutput<typeof MemberSchema>
