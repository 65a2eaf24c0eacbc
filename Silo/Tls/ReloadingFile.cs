using System.Security.Cryptography;
using Coordinator.Silo.Configuration;
using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Tls;

/// <summary>
/// A value parsed from one file (a CA bundle, a CRL), parsed again when the file's stamp changes. A file that fails
/// to parse keeps the previous value and is logged once per change. Thread-safe.
/// </summary>
public sealed class ReloadingFile<T> where T : class
{
    private readonly string _path, _what;
    private readonly Func<string, T> _parse;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private (T Value, FileStamp Stamp) _current; // replaced whole under _gate
    private FileStamp _failedStamp;              // guarded by _gate

    /// <summary>Parses the file now; a problem is a <see cref="ConfigurationException"/>.</summary>
    public ReloadingFile(string path, string what, Func<string, T> parse, ILogger logger)
    {
        _path = Path.GetFullPath(path);
        _what = what;
        _parse = parse;
        _logger = logger;
        var stamp = FileStamp.Of(_path);
        try
        {
            _current = (parse(_path), stamp);
        }
        catch (Exception e) when (IsLoadError(e))
        {
            throw new ConfigurationException($"cannot load {what} {path}: {e.Message}");
        }
    }

    public T Value
    {
        get
        {
            var current = _current;
            var stamp = FileStamp.Of(_path);
            if (stamp == current.Stamp) return current.Value;
            lock (_gate)
            {
                if (_current.Stamp == stamp) return _current.Value;
                try
                {
                    _current = (_parse(_path), stamp);
                    TlsLog.Reloaded(_logger, _what, _path);
                }
                catch (Exception e) when (IsLoadError(e))
                {
                    if (_failedStamp != stamp) TlsLog.ReloadFailed(_logger, _path, e.Message);
                    _failedStamp = stamp;
                }
                return _current.Value;
            }
        }
    }

    private static bool IsLoadError(Exception e) =>
        e is IOException or CryptographicException or UnauthorizedAccessException or FormatException or ArgumentException
            or System.Formats.Asn1.AsnContentException;
}
