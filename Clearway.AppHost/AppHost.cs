using Clearway;
using Clearway.AppHost;

// Clearway's dev environment: PostgreSQL -> migrations -> seeder -> dbmanager, in the Aspire dashboard (ClearwayAppModel).
try
{
    var builder = DistributedApplication.CreateBuilder(CheckoutSecrets.Apply(args));
    builder.AddClearway(AppHostSettings.Read(builder.Configuration));
    await builder.Build().RunAsync();
    return ExitCodes.Success;
}
catch (Exception e) when (AppHostFailure.Of(e) is { } failure)
{
    await Console.Error.WriteLineAsync(Failures.Format("clearway-apphost", failure.Line));
    return failure.ExitCode;
}
