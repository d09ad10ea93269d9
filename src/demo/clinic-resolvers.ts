import type { Resolvers } from '../generated/resolvers-types.js';
import type { Clinic } from './clinic-data.js';

const MAX_PAGE = 5000;

/** Resolvers of the demo upstream (schema/demo.graphql) over an in-memory clinic. */
export function clinicResolvers(clinic: Clinic): Resolvers {
  const byId = new Map(clinic.patients.map((patient) => [patient.id, patient]));
  const everyone = [...clinic.doctors, ...clinic.patients];
  return {
    Query: {
      patients: (_, { first, offset }) => clinic.patients.slice(offset ?? 0, (offset ?? 0) + page(first)),
      patient: (_, { id }) => byId.get(id) ?? null,
      people: (_, { first }) => everyone.slice(0, page(first)),
    },
    Person: {
      __resolveType: (person) => person.__typename,
    },
  };
}

function page(first: number | null | undefined): number {
  return Math.max(0, Math.min(first ?? 100, MAX_PAGE));
}
