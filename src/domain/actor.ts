// Who does what. One word each, everywhere: a Person is anyone a record names (who
// signs up, is served, asks or takes); the Actor is the person using this device,
// acting, with whether they act as staff.

export interface Person {
  id: string
  name: string
}

export interface Actor extends Person {
  staff: boolean
}
