using System.IO;

namespace CSharpBpf.Cli;

/// <summary>
/// One `csbpf` verb. Verbs are discovered by reflection, so each lives in its own file and
/// adding one touches no shared list.
/// </summary>
public interface ICliCommand
{
    /// <summary>The verb as typed, e.g. "disasm" or "struct-ops".</summary>
    string Name { get; }

    /// <summary>One line for `csbpf help`, starting with the usage.</summary>
    string Usage { get; }

    /// <summary>Runs the verb; returns the process exit code. Errors go to <paramref name="error"/>.</summary>
    int Run(string[] args, TextWriter output, TextWriter error);
}
