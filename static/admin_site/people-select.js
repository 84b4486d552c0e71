/* The appeal dialogs' person pickers (admin_site/forms/people.py): select2 as Django's admin ships it, in unfold's
   look. A picker with data-url asks the cabinet for the people who fit as one types; it sends the organisation
   chosen in the same form (data-organisation-field), a fixed one (data-organisation) or the role (data-role), and
   is emptied when that organisation changes. Pickers start with the page and whenever htmx puts a dialog into
   unfold's modal; there the list opens inside the modal, whose focus trap would keep the search box out. */
'use strict';
{
    const $ = django.jQuery;
    const russian = $.fn.select2.amd.require('select2/i18n/ru');

    function organisationOf(element) {
        const name = element.dataset.organisationField;
        return name ? element.form.querySelector(`[name="${name}"]`) : null;
    }

    function ajaxOptions(element) {
        const organisation = organisationOf(element);
        return {
            url: element.dataset.url,
            dataType: 'json',
            delay: 250,
            data: (params) => ({
                term: params.term || '',
                page: params.page || 1,
                role: element.dataset.role || '',
                organisation: organisation ? organisation.value : (element.dataset.organisation || ''),
            }),
        };
    }

    function start(element) {
        if (element.classList.contains('select2-hidden-accessible')) {
            return;
        }
        const organisation = organisationOf(element);
        const modal = element.closest('#modal-content');
        const options = {
            theme: element.dataset.theme,
            width: '100%',
            allowClear: true,
            placeholder: element.dataset.placeholder,
            dropdownParent: modal ? $(modal) : $(document.body),
            language: {
                ...russian,
                noResults: () => (organisation && !organisation.value
                    ? element.dataset.needOrganisation : element.dataset.nobody),
            },
        };
        if (element.dataset.url) {
            options.ajax = ajaxOptions(element);
        }
        $(element).select2(options);
        if (organisation) {
            organisation.addEventListener('change', () => $(element).val(null).trigger('change'));
        }
    }

    function startAll(root) {
        root.querySelectorAll('select.zk-person-select').forEach(start);
    }

    $(() => startAll(document));
    document.addEventListener('htmx:afterSettle', (event) => startAll(event.target));
}
