using Xunit;

namespace CSharpBpf.Linux.Tests;

/// <summary>
/// Kernel tests change process-wide state for a moment (the process's cgroup, congestion control
/// list); they run one at a time so they cannot see each other's effects.
/// </summary>
[CollectionDefinition("kernel", DisableParallelization = true)]
public sealed class KernelCollection
{
}
