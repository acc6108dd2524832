import type { ReconciliationEvent } from './ReconciliationEvent.js';

/**
 * The event with its personal data blanked: customer id, email and address of an order, the card
 * holder of a payment, the recipient and signer of a shipment. The shapes stay valid (the owning
 * contexts' rules are replayed over these events), and nothing personal reaches a reconciliation
 * table. What is kept is what the rules read: ids, codes, amounts, quantities and times.
 */
export function withoutPersonalData(event: ReconciliationEvent): ReconciliationEvent {
  if (event.type === 'OrderPlaced') {
    return { ...event, data: { ...event.data, customerId: '', customerEmail: '', shippingAddress: { line1: '', city: '', postalCode: '', country: event.data.shippingAddress.country } } };
  }
  if (event.type === 'PaymentAuthorized') return { ...event, data: { ...event.data, card: event.data.card && { ...event.data.card, holderName: '' } } };
  if (event.type === 'ShipmentCreated') return { ...event, data: { ...event.data, shipTo: { name: '', line1: '', city: '', postalCode: '', country: event.data.shipTo.country } } };
  if (event.type === 'ShipmentDelivered') return { ...event, data: { signedBy: null } };
  // Every other event carries ids, codes, amounts and times only.
  return event;
}
