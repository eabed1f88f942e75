import { type DemoConfig, PROVIDER_LABELS, type ProviderChoice } from './providers'

interface Props {
  value: ProviderChoice
  onChange(choice: ProviderChoice): void
  config: DemoConfig | undefined
}

type Listed = DemoConfig['providers'][number] & { label?: string }

/** Local always works; a real provider is selectable once its key is in .env, and says which variable otherwise. */
export function ProviderSwitcher({ value, onChange, config }: Props) {
  return (
    <fieldset className="demo-providers">
      <legend>Provider</legend>
      <label className="demo-choice">
        <input
          type="radio"
          name="provider"
          value="local"
          checked={value === 'local'}
          onChange={() => onChange('local')}
        />
        <span className="demo-choice__name">{PROVIDER_LABELS.local}</span>
        <span className="demo-hint">no key needed</span>
      </label>
      {config?.providers.map(({ name, configured, env, label }: Listed) => (
        <label key={name} className="demo-choice" data-configured={configured}>
          <input
            type="radio"
            name="provider"
            value={name}
            checked={value === name}
            disabled={!configured}
            onChange={() => onChange(name)}
            aria-describedby={configured ? undefined : `env-${name}`}
          />
          <span className="demo-choice__name">{label ?? PROVIDER_LABELS[name] ?? name}</span>
          <span className="demo-hint" id={`env-${name}`}>
            {configured ? (
              'key set in .env'
            ) : (
              <>
                <span className="demo-nowrap">
                  set <code>{env}</code> in <code>.env</code>,
                </span>{' '}
                <span className="demo-nowrap">then restart pnpm dev</span>
              </>
            )}
          </span>
        </label>
      ))}
    </fieldset>
  )
}
