using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;

namespace CSharpBpf.Packaging.Tests;

/// <summary>The output and exit code of one `dotnet` command.</summary>
public sealed record CommandResult(string CommandLine, int ExitCode, string Output)
{
    public string[] Lines => Output.Split('\n', StringSplitOptions.TrimEntries);

    /// <summary>For assertion messages: what ran and what it printed.</summary>
    public override string ToString() => $"$ {CommandLine}\n(exit {ExitCode})\n{Output}";
}

/// <summary>
/// Runs the dotnet CLI as a user would, with what a test needs on top: no build servers left behind
/// (node reuse and the shared compiler off), no telemetry banner, a hard time limit.
/// </summary>
public static class DotnetCli
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(20);

    public static CommandResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["UseSharedCompilation"] = "false";
        // The test host runs under `dotnet test`, whose MSBuild variables would point child builds at the
        // test run's MSBuild instead of letting each command find its own.
        foreach (string v in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
            psi.Environment.Remove(v);
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;

        var output = new StringBuilder();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        string commandLine = "dotnet " + string.Join(' ', args);
        if (!p.WaitForExit(DefaultTimeout))
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new TimeoutException($"`{commandLine}` in {workingDirectory} did not finish in {DefaultTimeout.TotalMinutes} minutes:\n{output}");
        }
        p.WaitForExit(); // drains the asynchronous readers
        lock (output) return new CommandResult(commandLine, p.ExitCode, output.ToString());
    }
}
