using System.Security.Cryptography;

namespace Clearway.AppHost.Tests;

/// <summary>
/// Makes the AppHost safe to start from a test: the testing builder otherwise reuses the developer's
/// persistent container and named data volume and leaks both (aspire#6850). Same approach as the
/// aspire-samples integration tests (WithContainersLifetime, WithRandomVolumeNames).
/// </summary>
internal static class TestAppHost
{
    public static IDistributedApplicationTestingBuilder WithSessionContainers(this IDistributedApplicationTestingBuilder builder)
    {
        foreach (var annotation in builder.Resources.SelectMany(r => r.Annotations.OfType<ContainerLifetimeAnnotation>()))
        {
            annotation.Lifetime = ContainerLifetime.Session;
        }

        return builder;
    }

    public static IDistributedApplicationTestingBuilder WithRandomVolumeNames(this IDistributedApplicationTestingBuilder builder)
    {
        foreach (var resource in builder.Resources)
        {
            var volumes = resource.Annotations.OfType<ContainerMountAnnotation>()
                .Where(m => m.Type == ContainerMountType.Volume && !string.IsNullOrEmpty(m.Source))
                .ToList();
            foreach (var volume in volumes)
            {
                resource.Annotations.Remove(volume);
                resource.Annotations.Add(new ContainerMountAnnotation(
                    $"clearway-test-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}",
                    volume.Target, ContainerMountType.Volume, volume.IsReadOnly));
            }
        }

        return builder;
    }

    /// <summary>A fresh password: the generated one would otherwise be persisted to the AppHost's user secrets.</summary>
    public static IDistributedApplicationTestingBuilder WithRandomPostgresPassword(this IDistributedApplicationTestingBuilder builder)
    {
        builder.Configuration["Parameters:postgres-password"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        return builder;
    }
}
