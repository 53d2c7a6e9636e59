using Clearway.Testing.Xunit;

// One PostgreSQL server for the external-mode and command tests (CLEARWAY_TEST_POSTGRES, else a private one).
[assembly: AssemblyFixture(typeof(ClearwayFixture))]
