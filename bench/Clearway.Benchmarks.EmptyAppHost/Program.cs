// No resources at all: only Aspire itself (DCP and the dashboard), for the `apphost` benchmark to compare Clearway.AppHost with.
DistributedApplication.CreateBuilder(args).Build().Run();
