import { Faker, en } from '@faker-js/faker';

export interface AddressRecord {
  street: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface AppointmentRecord {
  id: string;
  at: string;
  doctor: string;
  department: string;
}

export interface PatientRecord {
  __typename: 'Patient';
  id: string;
  name: string;
  email: string;
  phone: string;
  dateOfBirth: string;
  ssn: string;
  address: AddressRecord;
  notes: string;
  previousNames: string[];
  bloodType: string;
  appointments: AppointmentRecord[];
}

export interface DoctorRecord {
  __typename: 'Doctor';
  id: string;
  name: string;
  department: string;
}

export interface Clinic {
  patients: PatientRecord[];
  doctors: DoctorRecord[];
}

const DEPARTMENTS = ['Cardiology', 'Dermatology', 'General Practice', 'Neurology', 'Oncology', 'Pediatrics'];
const BLOOD_TYPES = ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'];

/** The demo clinic, generated from a fixed seed: the same patients on every start. */
export function generateClinic(patientCount = 2000, seed = 20261125): Clinic {
  const faker = new Faker({ locale: [en], seed });
  const doctors: DoctorRecord[] = Array.from({ length: 24 }, (_, i) => ({
    __typename: 'Doctor',
    id: `d${i + 1}`,
    name: `Dr. ${faker.person.fullName()}`,
    department: DEPARTMENTS[i % DEPARTMENTS.length]!,
  }));
  const referenceDate = new Date('2026-01-01T00:00:00Z');
  const patients: PatientRecord[] = Array.from({ length: patientCount }, (_, i) => {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const name = `${firstName} ${lastName}`;
    const email = faker.internet.email({ firstName, lastName }).toLowerCase();
    const doctor = faker.helpers.arrayElement(doctors);
    const appointments = Array.from({ length: faker.number.int({ min: 0, max: 3 }) }, (_, n) => {
      const seenBy = n === 0 ? doctor : faker.helpers.arrayElement(doctors);
      return {
        id: `a${i + 1}-${n + 1}`,
        at: faker.date.between({ from: '2025-01-01T00:00:00Z', to: '2026-12-31T00:00:00Z' }).toISOString(),
        doctor: seenBy.name,
        department: seenBy.department,
      };
    });
    return {
      __typename: 'Patient',
      id: `p${i + 1}`,
      name,
      email,
      phone: faker.phone.number({ style: 'international' }),
      dateOfBirth: faker.date.birthdate({ min: 1, max: 95, mode: 'age', refDate: referenceDate }).toISOString().slice(0, 10),
      ssn: faker.helpers.replaceSymbols('###-##-####').replace(/^0/, '1'),
      address: {
        street: faker.location.streetAddress(),
        city: faker.location.city(),
        postalCode: faker.location.zipCode(),
        country: 'United States',
      },
      notes: `${name} was seen by ${doctor.name} for ${faker.helpers.arrayElement(['a follow-up', 'chest pain', 'a rash', 'headaches', 'a routine check'])}. Contact: ${email}.`,
      previousNames: faker.datatype.boolean(0.2) ? [`${firstName} ${faker.person.lastName()}`] : [],
      bloodType: faker.helpers.arrayElement(BLOOD_TYPES),
      appointments,
    };
  });
  return { patients, doctors };
}
