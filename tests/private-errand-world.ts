import { formatStamp, HybridClock } from '../src/domain/hlc'
import type { PrivateErrandDraft, Service } from '../src/domain/errands'
import type { Verdict } from '../src/domain/trust'
import { publicSpace } from '../src/store/layout'
import { SpaceDocs } from '../src/store/space-docs'
import { makeKeys } from '../src/trust/keys'

// What the private-errand tests share: a private service, an applicant's errand, and
// people whose phones hold device keys the community's signed records give a role.

const STAMP = formatStamp(Date.parse('2026-11-01T08:00:00Z'), 0, 'staffdev')
export const dibao: Service = { id: 'svc-dibao', name: '低保申请', serviceClass: 'welfare', materials: ['户口本', '收入证明'], where: '街道社会救助窗口', fee: '', days: '周二', takesDays: 20, sensitive: true, stamp: STAMP }
export const draft: PrivateErrandDraft = { serviceId: dibao.id, applicant: '周秀英', phone: '13712345678', address: '5号楼2单元301', materials: ['户口本', '收入证明'], due: '', note: '腿脚不便，请上门取材料' }
export const staffPerson = { id: 'staff1', name: '王主任' }

/** One phone per person, each given `role` by the signed records, and the verdict that says so. */
export async function phonesOf(people: readonly { id: string }[], role = 'resident') {
  const keys = await Promise.all(people.map(() => makeKeys()))
  const verdict = {
    devices: new Map(keys.map((k, i) => [k.publicKey, { sealKey: k.agreementKey, label: people[i]!.id, person: people[i]!.id }])),
    roles: new Map(keys.map((k) => [k.publicKey, role])),
    revoked: new Map(),
    authority: { people: new Map(keys.map((k, i) => [k.publicKey, people[i]!.id])) },
  } as unknown as Verdict
  return { keys, verdict }
}

/** The public space with the private service on the 代办 point's list, an empty staff space, and clocks that tick a second a read. */
export function errandSpaces(from: string, services: readonly Service[] = [dibao]) {
  let wall = Date.parse(from)
  const clock = (device: string) => new HybridClock(device, () => (wall += 1000))
  const pub = new SpaceDocs()
  pub.transact(() => services.forEach((s) => publicSpace(pub).errandServices.put(s.id, s)))
  return { pub, staff: new SpaceDocs(), clock }
}
