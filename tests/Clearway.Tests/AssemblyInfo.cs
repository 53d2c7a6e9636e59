// The one assembly fixture: the run's PostgreSQL server and the template store every test takes its database from.
[assembly: AssemblyFixture(typeof(Clearway.Testing.Xunit.ClearwayFixture))]
