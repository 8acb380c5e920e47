// The screen pop for a ringing call: who is calling and their last contacts. Runs on every
// call, so it is two or three index seeks on statements prepared once, never the network.
import type { Pop } from '../../../preload/contract';
import type { Database } from '../store/db';
import { createCustomerRepo } from '../store/customers';
import { createInteractionRepo } from '../store/interactions';

export const POP_CONTACTS = 5;

export type PopLookup = (e164: string | null) => Pop;

export function createPopLookup(db: Database): PopLookup {
  const customers = createCustomerRepo(db);
  const interactions = createInteractionRepo(db);
  return (e164) => {
    // Anonymous or not a phone number: nothing to match, and an empty number would match
    // every other anonymous call in the timeline.
    if (!e164) return { customer: null, lastContacts: [] };
    const customer = customers.findByPhone(e164);
    const lastContacts = customer
      ? interactions.recentForCustomer(customer.id, POP_CONTACTS)
      : interactions.recentForNumber(e164, POP_CONTACTS);
    return { customer, lastContacts };
  };
}
