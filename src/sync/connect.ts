// What the session loads once the first screen is drawn: the transport and the shelf it replicates.
export { connectSpace } from './transport'
export { makeSpaceShelf } from './shelf'
export { sendOnly } from './replication'
